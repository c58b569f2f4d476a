import { vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { TEST_TOKEN } from './server.js';

/** Runs `slipway --url <url> <args>` in this process (stdout and stderr captured, the test token set); returns exit code and output. */
export async function cliInProcess(url: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  vi.stubEnv('SLIPWAY_TOKEN', TEST_TOKEN);
  try {
    const code = await main(['node', 'slipway', '--url', url, ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    vi.unstubAllEnvs();
  }
}
