import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import { findCommand } from '../engine/find-command.js';
import { imageExists } from '../engine/image-ops.js';
import type { CompiledEngine } from '../engine/model.js';
import { lastLine, runEngine } from '../engine/run-engine.js';
import { findMirror, readHostAptSources } from './find-mirror.js';

/** The base image slipway builds: Debian with Node, for Dockerfiles that say `FROM localhost/debian-node:bookworm`. */
export const DEFAULT_BASE_IMAGE = 'localhost/debian-node:bookworm';

/** Options of {@link buildBaseImage}. */
export interface BuildBaseImageOptions {
  /** Where the root filesystem tarball is written while it is imported (removed after). */
  readonly workDir: string;
  /** Debian suite. @default "bookworm" */
  readonly suite?: string;
  /** Package mirror. @default the host's apt source for the suite, else http://deb.debian.org/debian */
  readonly mirror?: string;
  /** Packages besides the `apt` variant's. @default ["nodejs", "ca-certificates"] */
  readonly include?: readonly string[];
  /** Name of the image. @default DEFAULT_BASE_IMAGE with the suite as tag */
  readonly image?: string;
  /** Build even when the image exists. @default false */
  readonly force?: boolean;
  /** Each line mmdebstrap prints. */
  readonly onLine?: (line: string) => void;
}

/** Result of {@link buildBaseImage}. */
export interface BaseImageResult {
  readonly image: string;
  /** Whether the image existed and nothing was built. */
  readonly cached: boolean;
  readonly mirror?: string;
  readonly imageId?: string;
  readonly sizeBytes?: number;
  readonly durationMs: number;
}

/**
 * Builds a small Debian root filesystem with mmdebstrap from the configured mirror and imports it
 * as an image, so Dockerfiles build on a machine without a public registry. Skips the work when
 * the image exists, unless `force`.
 */
export async function buildBaseImage(engine: CompiledEngine, options: BuildBaseImageOptions): Promise<BaseImageResult> {
  const started = Date.now();
  const suite = options.suite ?? 'bookworm';
  const image = options.image ?? `localhost/debian-node:${suite}`;
  if (!options.force && (await imageExists(engine, image))) return { image, cached: true, durationMs: Date.now() - started };
  const mmdebstrap = findCommand('mmdebstrap');
  if (!mmdebstrap) throw new SlipwayError('SLW_ERR_IMAGES_BASE_FAILED', 'mmdebstrap is not installed: apt-get install -y mmdebstrap');
  const mirror = options.mirror ?? findMirror(readHostAptSources(), suite) ?? 'http://deb.debian.org/debian';
  const include = options.include ?? ['nodejs', 'ca-certificates'];
  fs.mkdirSync(options.workDir, { recursive: true, mode: 0o700 });
  const tarball = path.join(options.workDir, `rootfs-${suite}-${process.pid}.tar`);
  try {
    options.onLine?.(`mmdebstrap ${suite} from ${mirror} with ${include.join(', ')}`);
    const r = await exec(mmdebstrap, ['--variant=apt', `--include=${include.join(',')}`, suite, tarball, mirror], { timeoutMs: 900_000 });
    for (const line of r.stderr.split('\n')) if (line.trim()) options.onLine?.(line);
    if (r.code !== 0) throw new SlipwayError('SLW_ERR_IMAGES_BASE_FAILED', `mmdebstrap ${suite} from ${mirror} failed (exit ${r.code ?? r.signal}): ${lastLine(r.stderr)}`);
    const sizeBytes = fs.statSync(tarball).size;
    const imported = await runEngine(engine, ['import', '--change', 'CMD ["/bin/bash"]', tarball, image], { timeoutMs: 300_000 });
    if (imported.code !== 0) throw new SlipwayError('SLW_ERR_IMAGES_BASE_FAILED', `${engine.kind} import of ${tarball} failed: ${lastLine(imported.stderr)}`);
    return { image, cached: false, mirror, imageId: lastLine(imported.stdout), sizeBytes, durationMs: Date.now() - started };
  } finally {
    fs.rmSync(tarball, { force: true });
  }
}
