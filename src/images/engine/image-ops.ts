import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SlipwayError } from '../../shared/index.js';
import type { CompiledEngine } from './model.js';
import { lastLine, mustRunEngine, runEngine } from './run-engine.js';

/** Whether the engine has an image of this name or id. */
export async function imageExists(engine: CompiledEngine, ref: string): Promise<boolean> {
  const r = await runEngine(engine, ['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000 });
  return r.code === 0;
}

/** Gives an image another name. */
export async function tagImage(engine: CompiledEngine, ref: string, newRef: string): Promise<void> {
  await mustRunEngine(engine, ['tag', ref, newRef], { timeoutMs: 30_000 });
}

/** Options of {@link pushImage}. */
export interface PushImageOptions {
  /** Whether the registry is plain HTTP on loopback (no TLS). @default true for 127.0.0.1 and localhost */
  readonly insecure?: boolean;
}

/**
 * Pushes a local image to `destination` (`host:port/repo:tag`) and returns the manifest digest the
 * registry stored it under. A registry that is down or refuses throws `SLW_ERR_IMAGES_PUSH_FAILED`
 * with the engine's reason.
 */
export async function pushImage(engine: CompiledEngine, ref: string, destination: string, options: PushImageOptions = {}): Promise<string> {
  const host = destination.split('/')[0] ?? '';
  const insecure = options.insecure ?? /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  if (engine.kind === 'podman') {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-push-'));
    try {
      const digestFile = path.join(tmp, 'digest');
      const r = await runEngine(engine, ['push', ...(insecure ? ['--tls-verify=false'] : []), '--digestfile', digestFile, ref, destination], { timeoutMs: 300_000 });
      if (r.code !== 0) throw new SlipwayError('SLW_ERR_IMAGES_PUSH_FAILED', `push of ${ref} to ${destination} failed: ${lastLine(r.stderr)}`, { retryable: true });
      return fs.readFileSync(digestFile, 'utf8').trim();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  // Docker trusts loopback registries as insecure by default and prints "digest: sha256:… size: N".
  if (ref !== destination) await tagImage(engine, ref, destination);
  const r = await runEngine(engine, ['push', destination], { timeoutMs: 300_000 });
  const m = /digest: (sha256:[0-9a-f]{64})/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new SlipwayError('SLW_ERR_IMAGES_PUSH_FAILED', `push of ${ref} to ${destination} failed: ${lastLine(r.stderr) || lastLine(r.stdout)}`, { retryable: true });
  return m[1]!;
}

/** Pulls an image (from a loopback registry without TLS). */
export async function pullImage(engine: CompiledEngine, ref: string): Promise<void> {
  const host = ref.split('/')[0] ?? '';
  const insecure = engine.kind === 'podman' && /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  const r = await runEngine(engine, ['pull', ...(insecure ? ['--tls-verify=false'] : []), ref], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new SlipwayError('SLW_ERR_IMAGES_ENGINE_FAILED', `pull of ${ref} failed: ${lastLine(r.stderr)}`, { retryable: true });
}

/** Writes an image as a `docker save` archive (manifest.json, config, one tar per layer) to `file`. */
export async function saveImage(engine: CompiledEngine, ref: string, file: string): Promise<void> {
  await mustRunEngine(engine, ['save', ...(engine.kind === 'podman' ? ['--format', 'docker-archive'] : []), '-o', file, ref], { timeoutMs: 300_000 });
}
