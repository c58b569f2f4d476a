import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readRecordedPushes, writeBuildShims } from '../../../images/index.js';
import type { ActionContext } from './action-context.js';
import { scanPushedImage } from './image-action.js';

/** What a build of a container app gets: the shims' variables, and where its pushes are recorded. */
export interface ContainerBuildEnv {
  /** The project variables: PATH with `docker` and `aws` first, `REPOSITORY_URI`, `IMAGE_TAG`, `AWS_ACCOUNT_ID`, `AWS_DEFAULT_REGION`, … */
  readonly env: Record<string, string>;
  /** Records the build's `docker push`es in the image store; returns them as `repository:tag@digest`. */
  recordPushes(): string[];
  /**
   * Scans each image the build pushed (as ECR scans on push, with the image action's scanner);
   * the reason the action fails when one has findings at or above high, else undefined.
   */
  scanPushes(): Promise<string | undefined>;
  /** Removes the shims. */
  remove(): void;
}

/**
 * The `docker` and `aws` commands for a build action of an app with container images, against the
 * local registry (started on first need): a buildspec written for CodeBuild (`aws ecr
 * get-login-password | docker login …`, `docker build -t $REPOSITORY_URI:$IMAGE_TAG .`, `docker push`)
 * runs unchanged. Each service with an `image` has its repository `<app>/<service>` (`REPOSITORY_URI`
 * when there is one, `<SERVICE>_REPOSITORY_URI` for each), `IMAGE_TAG` is the revision. Undefined when
 * no service has an image; when the engine or the registry is missing, the build runs without them
 * and says why in its log. What the build pushes is scanned after it, as ECR scans on push.
 */
export async function containerBuildEnv(ctx: ActionContext, buildId: string): Promise<ContainerBuildEnv | undefined> {
  const { services, run } = ctx;
  const images = services.images;
  const withImage = Object.values(services.app.services).filter((s) => s.image !== undefined);
  if (images === undefined || withImage.length === 0) return undefined;
  let engine;
  let registry;
  try {
    engine = await images.engine();
    registry = await images.ensure();
  } catch (err) {
    ctx.log(`docker and aws are not provided to this build: ${(err as Error).message}`, 'system');
    return undefined;
  }
  const repositories: Record<string, string> = {};
  for (const s of withImage) {
    const repository = `${services.app.name}/${s.name}`;
    images.putRepository(repository, { tagMutability: s.image!.tagMutability, ...(s.image!.lifecyclePolicy !== undefined ? { lifecyclePolicy: s.image!.lifecyclePolicy } : {}) });
    repositories[s.name] = repository;
  }
  fs.mkdirSync(services.workspacesDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(services.workspacesDir, `${buildId}-shims-`));
  const pushesFile = path.join(dir, 'pushes.jsonl');
  const env = writeBuildShims({
    dir: path.join(dir, 'bin'),
    engine,
    registry: registry.client.host,
    // The password `aws ecr get-login-password` prints and `docker login` accepts, for this build only.
    token: crypto.randomBytes(24).toString('base64url'),
    pushesFile,
    repositories,
    immutableRepositories: withImage.filter((s) => s.image!.tagMutability === 'IMMUTABLE').map((s) => repositories[s.name]!),
    imageTag: run.commitSha.slice(0, 12),
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  });
  ctx.log(`docker (${engine.kind}) and aws run against the local registry ${registry.client.host}; ${Object.values(repositories).map((r) => `${registry.client.host}/${r}`).join(', ')}`, 'system');
  return {
    env,
    recordPushes() {
      const out: string[] = [];
      for (const p of readRecordedPushes(pushesFile)) {
        images.recordPushed({ repository: p.repository, digest: p.digest, tag: p.tag, runId: run.id });
        out.push(`${p.repository}:${p.tag}@${p.digest}`);
      }
      return out;
    },
    async scanPushes() {
      const serviceOf = new Map(Object.entries(repositories).map(([service, repository]) => [repository, service]));
      // One scan per digest: a build that pushes one image under two tags pushed one image.
      const pushes = [...new Map(readRecordedPushes(pushesFile).map((p) => [p.digest, p])).values()];
      for (const push of pushes) {
        const service = serviceOf.get(push.repository);
        const reason = await scanPushedImage(ctx, { engine, registry: images, push, failOn: 'high', ...(service !== undefined ? { service } : {}) });
        if (reason !== undefined) return reason;
      }
      return undefined;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
