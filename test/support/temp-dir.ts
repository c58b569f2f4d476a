import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory; removed by the returned cleanup. */
export function tempDir(prefix = 'slipway-test-'): { path: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. For external processes only. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The permission bits of a file or directory (`0o600`, `0o700`, …). */
export function fileMode(p: string): number {
  return fs.statSync(p).mode & 0o777;
}
