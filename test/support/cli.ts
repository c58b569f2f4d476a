import path from 'node:path';
import { exec, spawnProcess, type ExecResult } from '../../src/core/index.js';

/** Options of `slipway up` that put every listener on a free port, so tests never clash. */
export const FREE_PORTS = ['--port', '0', '--otlp-port', '0', '--xray-port', '0'] as const;

/** The compiled CLI, as a user runs it. */
export const SLIPWAY_BIN = path.resolve(import.meta.dirname, '../../bin/slipway.js');

/** Runs `slipway <args>` to completion. */
export function slipway(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ExecResult> {
  return exec(process.execPath, [SLIPWAY_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, timeoutMs: options.timeoutMs ?? 20_000 });
}

/** Starts a long-running `slipway <args>` (e.g. `up`) and collects its output. */
export function startSlipway(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawnProcess(process.execPath, [SLIPWAY_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (b: Buffer) => (output.stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output.stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}
