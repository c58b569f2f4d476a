import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import type { CompiledEngine } from './model.js';

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
}

/** A built image. */
export interface BuiltImage {
  /** The image id (`sha256:` of its config). */
  readonly imageId: string;
  /** The tags it was given. */
  readonly tags: readonly string[];
  /** Wall time of the build, ms. */
  readonly durationMs: number;
}

/**
 * Builds an image with the engine (`build -f … --target … --build-arg …`), streaming its output
 * line by line. A failed build throws `SLW_ERR_IMAGES_BUILD_FAILED` with the engine's last lines, so
 * the run says why (a failing RUN step, a base image that cannot be pulled).
 */
export async function buildImage(engine: CompiledEngine, input: BuildImageInput): Promise<BuiltImage> {
  if (input.tags.length === 0) throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', 'an image build needs at least one tag');
  const dockerfile = path.resolve(input.contextDir, input.dockerfile ?? 'Dockerfile');
  if (!fs.existsSync(dockerfile)) throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', `no Dockerfile at ${dockerfile}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-'));
  const iidFile = path.join(tmp, 'iid');
  const args = [...engine.globalArgs, 'build', '-f', dockerfile, '--iidfile', iidFile];
  // RUN steps need the same runtime flags as tasks (podman only: docker's daemon has its own).
  if (engine.kind === 'podman') args.push(...engine.runArgs, '--network', 'host');
  if (input.target !== undefined) args.push('--target', input.target);
  for (const [k, v] of Object.entries(input.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels ?? {})) args.push('--label', `${k}=${v}`);
  for (const t of input.tags) args.push('-t', t);
  args.push(input.contextDir);
  const started = Date.now();
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
      throw new SlipwayError('SLW_ERR_IMAGES_BUILD_FAILED', `building ${path.relative(input.contextDir, dockerfile) || 'Dockerfile'} failed (exit ${code}): ${why}`);
    }
    const imageId = fs.readFileSync(iidFile, 'utf8').trim();
    return { imageId: imageId.startsWith('sha256:') ? imageId : `sha256:${imageId}`, tags: [...input.tags], durationMs: Date.now() - started };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
