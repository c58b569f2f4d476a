import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import type { CompiledEngine } from './model.js';
import { dockerfileRunsCommands, emulatedPlatforms, hostPlatform, planPlatforms, type PlatformPlan } from './platforms.js';
import { mustRunEngine, runEngine } from './run-engine.js';

/** What to build: a Dockerfile and its context, as `image:` of a service says. */
export interface BuildImageInput {
  /** The build context directory (absolute). */
  readonly contextDir: string;
  /** The Dockerfile, absolute or relative to the context. @default "Dockerfile" */
  readonly dockerfile?: string;
  /** The stage of a multi-stage Dockerfile to build. @default the last stage */
  readonly target?: string;
  /** `--build-arg` values. @default {} */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Tags to give the built image, e.g. `localhost/shop/api:abc123`. At least one. */
  readonly tags: readonly string[];
  /** Labels to set on the image. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Each line the engine prints while building. */
  readonly onLine?: (line: string) => void;
  /** Stops the build. */
  readonly signal?: AbortSignal;
  /** Kill the build after this long. @default 600000 */
  readonly timeoutMs?: number;
  /**
   * OCI platforms to build for (`linux/amd64`, `linux/arm64`, …). The host's alone builds as
   * without it; another builds with `--platform` where its binaries can run (an emulator in
   * binfmt_misc, or a Dockerfile without `RUN`); several make a manifest list under the first tag.
   * @default the host's platform
   */
  readonly platforms?: readonly string[];
  /** Where emulators are registered, for tests. @default "/proc/sys/fs/binfmt_misc" */
  readonly binfmtDir?: string;
}

/** One platform's image of a multi-platform build. */
export interface PlatformImage {
  /** e.g. `linux/arm64`. */
  readonly platform: string;
  /** Its image id. */
  readonly imageId: string;
}

/** A built image. */
export interface BuiltImage {
  /** The image id (`sha256:` of its config). */
  readonly imageId: string;
  /** The tags it was given. */
  readonly tags: readonly string[];
  /** Wall time of the build, ms. */
  readonly durationMs: number;
  /** For a build of several platforms: each platform's image; the tags name their manifest list, `imageId` is the host's (or the first) image. @default absent: one image */
  readonly platforms?: readonly PlatformImage[];
}

/**
 * Builds an image with the engine (`build -f … --target … --build-arg …`), streaming its output
 * line by line. A failed build throws `SLW_ERR_IMAGES_BUILD_FAILED` with the engine's last lines, so
 * the run says why (a failing RUN step, a base image that cannot be pulled). With `platforms`, see
 * {@link planPlatforms}: a platform that cannot be built here throws `SLW_ERR_IMAGES_PLATFORM_UNAVAILABLE`
 * naming it and how to enable it, before anything is built.
 */
export async function buildImage(engine: CompiledEngine, input: BuildImageInput): Promise<BuiltImage> {
  if (input.tags.length === 0) throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', 'an image build needs at least one tag');
  const dockerfile = path.resolve(input.contextDir, input.dockerfile ?? 'Dockerfile');
  if (!fs.existsSync(dockerfile)) throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', `no Dockerfile at ${dockerfile}`);
  const plan = platformPlan(engine, input, dockerfile);
  const started = Date.now();
  if (plan.kind === 'unavailable') {
    throw new SlipwayError('SLW_ERR_IMAGES_PLATFORM_UNAVAILABLE', `cannot build ${path.relative(input.contextDir, dockerfile) || 'Dockerfile'} for ${plan.missing.join(', ')}: ${plan.why}`);
  }
  if (plan.kind !== 'manifest') {
    // A build's -t takes the name off a manifest list of an earlier multi-platform build, leaving it
    // nameless, and podman then cannot list images at all: remove the list first (its images stay).
    if (engine.kind === 'podman') for (const tag of input.tags) await removeManifestList(engine, tag);
    const imageId = await runBuild(engine, input, dockerfile, plan.kind === 'single' ? ['--platform', plan.platform] : [], input.tags);
    return { imageId, tags: [...input.tags], durationMs: Date.now() - started };
  }
  // One build per platform, each labelled with it (so the layer cache never hands one platform's
  // image to another), then a fresh manifest list under each tag.
  const images: PlatformImage[] = [];
  for (const platform of plan.platforms) {
    const imageId = await runBuild(engine, { ...input, labels: { ...input.labels, 'io.slipway.platform': platform } }, dockerfile, ['--platform', platform], []);
    images.push({ platform, imageId });
  }
  for (const tag of input.tags) {
    // A list of an earlier build would otherwise keep its images (`manifest add` appends); a plain
    // image of an earlier single-platform build would hold the name: take the name off it, keep the image.
    const hadList = await removeManifestList(engine, tag);
    if (!hadList && (await runEngine(engine, ['image', 'exists', tag], { timeoutMs: 30_000 })).code === 0) await mustRunEngine(engine, ['untag', tag, tag], { timeoutMs: 30_000 });
    await mustRunEngine(engine, ['manifest', 'create', tag], { timeoutMs: 30_000 });
    for (const image of images) await mustRunEngine(engine, ['manifest', 'add', tag, `containers-storage:${image.imageId.replace(/^sha256:/, '')}`], { timeoutMs: 60_000 });
  }
  const host = hostPlatform();
  const main = images.find((i) => i.platform === host) ?? images[0]!;
  return { imageId: main.imageId, tags: [...input.tags], durationMs: Date.now() - started, platforms: images };
}

/** Removes the manifest list named `tag`, if there is one (not the images in it); whether there was. */
async function removeManifestList(engine: CompiledEngine, tag: string): Promise<boolean> {
  if ((await runEngine(engine, ['manifest', 'exists', tag], { timeoutMs: 30_000 })).code !== 0) return false;
  await mustRunEngine(engine, ['manifest', 'rm', tag], { timeoutMs: 30_000 });
  return true;
}

/** What {@link buildImage} does for the input's platforms on this machine. */
export function platformPlan(engine: CompiledEngine, input: Pick<BuildImageInput, 'platforms' | 'binfmtDir'>, dockerfile: string): PlatformPlan {
  const platforms = input.platforms ?? [];
  if (platforms.length === 0) return { kind: 'host' };
  return planPlatforms({
    platforms,
    host: hostPlatform(),
    emulated: emulatedPlatforms(input.binfmtDir),
    runsCommands: dockerfileRunsCommands(fs.readFileSync(dockerfile, 'utf8')),
    canAssembleManifest: engine.kind === 'podman',
  });
}

async function runBuild(engine: CompiledEngine, input: BuildImageInput, dockerfile: string, platformArgs: readonly string[], tags: readonly string[]): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-'));
  const iidFile = path.join(tmp, 'iid');
  const args = [...engine.globalArgs, 'build', '-f', dockerfile, '--iidfile', iidFile, ...platformArgs];
  // RUN steps need the same runtime flags as tasks (podman only: docker's daemon has its own).
  if (engine.kind === 'podman') args.push(...engine.runArgs, '--network', 'host');
  if (input.target !== undefined) args.push('--target', input.target);
  for (const [k, v] of Object.entries(input.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels ?? {})) args.push('--label', `${k}=${v}`);
  for (const t of tags) args.push('-t', t);
  args.push(input.contextDir);
  const tail: string[] = [];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawnProcess(engine.command, args, { cwd: input.contextDir, stdio: ['ignore', 'pipe', 'pipe'] });
      let pending = '';
      const onData = (b: Buffer) => {
        pending += b.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) emit(line);
      };
      const emit = (line: string) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        input.onLine?.(line);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs ?? 600_000);
      const abort = () => child.kill('SIGTERM');
      input.signal?.addEventListener('abort', abort, { once: true });
      child.on('error', (err) => reject(new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', `could not run ${engine.command} build: ${err.message}`, { cause: err })));
      child.on('close', (c) => {
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', abort);
        if (pending.length > 0) emit(pending);
        resolve(c);
      });
    });
    if (code !== 0) {
      const why = tail.filter((l) => l.trim().length > 0).slice(-3).join(' | ');
      const what = platformArgs.length > 0 ? ` for ${platformArgs[1]}` : '';
      throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', `building ${path.relative(input.contextDir, dockerfile) || 'Dockerfile'}${what} failed (exit ${code}): ${why}`);
    }
    const imageId = fs.readFileSync(iidFile, 'utf8').trim();
    return imageId.startsWith('sha256:') ? imageId : `sha256:${imageId}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
