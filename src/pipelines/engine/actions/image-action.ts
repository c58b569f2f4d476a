import fs from 'node:fs';
import path from 'node:path';
import { imageExists, localImageName, pullImage, saveImage, type CompiledEngine, type LocalRegistry, type RecordedPush } from '../../../images/index.js';
import type { ImageActionOutputDto, ImageScanDto, ResolvedService } from '../../../shared/index.js';
import { prepareWorkspace } from '../../build/index.js';
import { SecretPatterns, maskSecrets } from '../../secrets/index.js';
import { atLeast, cycloneDx, LayerScanCache, scanImageArchive, type ImagePackage, type Severity } from '../../scan/index.js';
import { auditLockfiles } from './audit-lockfiles.js';
import { abortedOutcome, type ActionContext, type ActionExecutor } from './action-context.js';

/**
 * An image action: for each of its services, in a fresh checkout of the run's commit, builds the
 * service's image from its Dockerfile with the engine slipway found, scans it (the secret scanner over
 * every file of every layer, the dependency audit over its lockfiles, a CycloneDX SBOM), and — only
 * when the scan passes — pushes it to the service's repository of the local registry (`<app>/<service>`,
 * tag = the revision), records it with its scan and SBOM, and applies the repository's lifecycle
 * policy. The digests are the run's `images`, which its deploy actions run. A failed build, scan or
 * push fails the action and records nothing on the run: the previous revision keeps serving.
 */
export const executeImage: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  const registry = services.images;
  if (registry === undefined) return { status: 'Failed', reason: 'image actions need the local registry: the control plane runs no app' };
  const names = (action.configuration.services as string[] | undefined) ?? [];
  const failOn = (action.configuration.failOn ?? 'high') as Severity;
  const revision = run.commitSha.slice(0, 12);
  const secrets = new SecretPatterns(await services.secretValues());
  const log = (line: string, stream: 'stdout' | 'system' = 'system') => ctx.log(maskSecrets(line, secrets), stream);
  let engine: CompiledEngine;
  try {
    engine = await registry.engine();
  } catch (err) {
    return { status: 'Failed', reason: (err as Error).message };
  }
  const { prefix } = await services.repo.location();
  const ws = await prepareWorkspace({ repoDir: services.repo.dir, revision: run.commitSha, workspacesDir: services.workspacesDir, buildId: `r${run.id}-a${action.id}-t${ctx.attempt}` });
  const outputs: ImageActionOutputDto[] = [];
  const images: Record<string, string> = {};
  try {
    for (const name of names) {
      const svc = services.app.services[name];
      if (svc?.image === undefined) return { status: 'Failed', reason: `service ${name} has no image to build`, output: { images: outputs } };
      const step = await oneImage(ctx, { registry, engine, svc, revision, sourceDir: path.join(ws.dir, prefix), failOn, log });
      outputs.push(step.output);
      if (ctx.signal.aborted) return { ...abortedOutcome(ctx.signal, ctx.timeoutMs), output: { images: outputs } };
      if ('reason' in step) return { status: 'Failed', reason: step.reason, output: { images: outputs } };
      images[name] = step.reference;
    }
  } catch (err) {
    if (ctx.signal.aborted) return { ...abortedOutcome(ctx.signal, ctx.timeoutMs), output: { images: outputs } };
    return { status: 'Failed', reason: (err as Error).message, output: { images: outputs } };
  } finally {
    ws.remove();
  }
  return { status: 'Succeeded', output: { images: outputs }, images };
};

/**
 * What the scans of this process found per layer: the layers images share (the base, a
 * `node_modules` copied the same way, a service unchanged since the last run) are read once.
 */
const layerCache = new LayerScanCache();

interface OneImage {
  readonly registry: LocalRegistry;
  readonly engine: CompiledEngine;
  readonly svc: ResolvedService;
  readonly revision: string;
  readonly sourceDir: string;
  readonly failOn: Severity;
  log(line: string, stream?: 'stdout' | 'system'): void;
}

/** Builds, scans and (when clean) pushes one service's image. */
async function oneImage(ctx: ActionContext, o: OneImage): Promise<{ output: ImageActionOutputDto; reference: string } | { output: ImageActionOutputDto; reason: string }> {
  const { services, run } = ctx;
  const image = o.svc.image!;
  const repository = `${services.app.name}/${o.svc.name}`;
  const tags = [o.revision];
  o.registry.putRepository(repository, { tagMutability: image.tagMutability, ...(image.lifecyclePolicy !== undefined ? { lifecyclePolicy: image.lifecyclePolicy } : {}) });
  const localRef = localImageName(services.app.name, o.svc.name, o.revision);
  o.log(`building ${o.svc.name} from ${image.dockerfile} as ${localRef}`);
  const built = await o.registry.build(o.engine, {
    repository,
    service: o.svc.name,
    runId: run.id,
    contextDir: path.resolve(o.sourceDir, image.context),
    dockerfile: path.resolve(o.sourceDir, image.dockerfile),
    ...(image.target !== undefined ? { target: image.target } : {}),
    buildArgs: image.buildArgs,
    tags: [localRef],
    labels: { 'io.slipway.app': services.app.name, 'io.slipway.service': o.svc.name, 'io.slipway.revision': o.revision },
    onLine: (line) => o.log(line, 'stdout'),
    signal: ctx.signal,
    timeoutMs: ctx.remainingMs,
  });
  o.log(`built ${built.imageId} in ${built.durationMs} ms`);
  const base = { service: o.svc.name, repository, tags, imageId: built.imageId, buildMs: built.durationMs, expired: [] as string[] };
  let scan: ImageScanDto | undefined;
  let packages: readonly ImagePackage[] = [];
  if (image.scanOnPush) {
    const scanned = await scanBuilt(ctx, o.engine, o.failOn, localRef);
    scan = scanned.scan;
    packages = scanned.packages;
    logScan(scan, o.log);
    if (scan.status === 'Failed') {
      o.registry.recordScan({ repository, imageId: built.imageId, scan, service: o.svc.name, runId: run.id });
      return { output: { ...base, scan }, reason: `${scanFailure(`the image of ${o.svc.name}`, scan, o.failOn)}; it was not pushed` };
    }
  }
  const pushed = await o.registry.push({ engine: o.engine, localRef, imageId: built.imageId, repository, tags, service: o.svc.name, runId: run.id });
  o.log(`pushed ${pushed.reference} (${tags.join(', ')})`);
  if (scan !== undefined) {
    const sbom = JSON.stringify(cycloneDx({ name: `${pushed.reference.split('@')[0]!}`, digest: pushed.digest }, packages, services.clock.now()));
    o.registry.recordScan({ repository, imageId: built.imageId, digest: pushed.digest, scan, sbom, service: o.svc.name, runId: run.id });
  }
  const lifecycle = await o.registry.applyLifecycle(repository).catch((err: unknown) => {
    // The push stands; the policy is applied again by the schedule.
    o.log(`lifecycle policy not applied: ${(err as Error).message}`);
    return undefined;
  });
  for (const d of lifecycle?.expired ?? []) o.log(`expired ${d.image.digest} (${d.image.tags.join(', ') || 'untagged'}): rule ${d.rulePriority}, ${d.reason}`);
  for (const d of lifecycle?.keptInUse ?? []) o.log(`kept ${d.image.digest}: in use (rule ${d.rulePriority} would expire it)`);
  return { output: { ...base, reference: pushed.reference, digest: pushed.digest, scan, expired: (lifecycle?.expired ?? []).map((d) => d.image.digest) }, reference: pushed.reference };
}

/** Prints a scan's findings and its package and audit summary into the action's log. */
function logScan(scan: ImageScanDto, log: (line: string) => void): void {
  for (const f of scan.secrets) log(`${f.severity.toUpperCase()} layer ${f.layer} (${f.layerDiffId}${f.createdBy ? `, ${f.createdBy}` : ''}) ${f.file}:${f.line} ${f.rule}`);
  log(`packages: ${scan.packageCount}, lockfiles: ${scan.lockfiles.length}, npm audit: ${scan.audit.status}${scan.audit.reason ? ` (${scan.audit.reason})` : ''}`);
}

/** Why a failed scan fails the action: its first blocking secret (layer and file), or the audit. */
function scanFailure(what: string, scan: ImageScanDto, failOn: Severity): string {
  const blocking = scan.secrets.filter((f) => atLeast(f.severity as Severity, failOn));
  const first = blocking[0];
  return first
    ? `${what} has ${blocking.length} secret finding(s) at or above ${failOn}: ${first.rule} in layer ${first.layer} (${first.layerDiffId}) at ${first.file}:${first.line}`
    : `npm audit found vulnerabilities at or above ${failOn} in ${what}`;
}

/**
 * Scans an image a build pushed itself (`docker push` in a buildspec), as ECR scans on push: the
 * same secret scanner over every layer, dependency audit and SBOM as the image action, recorded with
 * the pushed digest. The image is in the registry already; findings at or above `failOn` fail the
 * build action, so no deploy runs it. Returns the reason when it fails.
 */
export async function scanPushedImage(ctx: ActionContext, input: { readonly engine: CompiledEngine; readonly registry: LocalRegistry; readonly push: RecordedPush; readonly service?: string; readonly failOn: Severity }): Promise<string | undefined> {
  const { push, engine, registry } = input;
  const reference = `${push.ref.split('/')[0]!}/${push.repository}@${push.digest}`;
  // The build's own local image has the pushed name; when it is gone, the registry has it by digest.
  if (!(await imageExists(engine, push.ref))) await pullImage(engine, reference);
  const local = (await imageExists(engine, push.ref)) ? push.ref : reference;
  const { scan, packages } = await scanBuilt(ctx, engine, input.failOn, local);
  const log = (line: string) => ctx.log(line, 'system');
  log(`scanned ${reference}`);
  logScan(scan, log);
  const sbom = JSON.stringify(cycloneDx({ name: `${reference.split('@')[0]!}`, digest: push.digest }, packages, ctx.services.clock.now()));
  registry.recordScan({ repository: push.repository, imageId: push.digest, digest: push.digest, scan, sbom, ...(input.service !== undefined ? { service: input.service } : {}), runId: ctx.run.id });
  return scan.status === 'Failed' ? `${scanFailure(`the image ${push.repository}:${push.tag} the build pushed`, scan, input.failOn)}` : undefined;
}

/** Saves the built image as an archive and scans it. */
async function scanBuilt(ctx: ActionContext, engine: CompiledEngine, failOn: Severity, localRef: string): Promise<{ scan: ImageScanDto; packages: readonly ImagePackage[] }> {
  const dir = fs.mkdtempSync(path.join(ctx.services.workspacesDir, `image-scan-r${ctx.run.id}-`));
  try {
    const archive = path.join(dir, 'image.tar');
    await saveImage(engine, localRef, archive);
    const result = await scanImageArchive(archive, { layerCache });
    const audit = ctx.services.scanAudit ? await auditLockfiles(dir, result.lockfileTexts, failOn) : { status: 'Skipped', counts: {}, reason: 'skipped by request' };
    const secrets = result.secrets.map((f) => ({ layer: f.layer, layerDiffId: f.layerDiffId, createdBy: result.layers[f.layer - 1]?.createdBy ?? '', file: f.file, line: f.line, rule: f.rule, severity: f.severity }));
    const blocking = secrets.some((f) => atLeast(f.severity, failOn)) || audit.status === 'Failed';
    const scan: ImageScanDto = { status: blocking ? 'Failed' : 'Passed', secrets, packageCount: result.packages.length, lockfiles: result.lockfiles, audit, scannedAtMs: ctx.services.clock.now() };
    return { scan, packages: result.packages };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
