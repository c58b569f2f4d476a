import net from 'node:net';
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

/**
 * Resolves with the first match of `pattern` in a started slipway's stdout after `from` (a
 * character offset), as soon as it is printed; rejects with its output when it exits first or
 * `timeoutMs` passes.
 */
export function outputLine(started: ReturnType<typeof startSlipway>, pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(started.output.stdout.slice(from));
      if (m) done(() => resolve(m));
    };
    const onExit = () => done(() => reject(new Error(`slipway exited before printing ${pattern}; stdout:\n${started.output.stdout}\nstderr:\n${started.output.stderr}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; stdout:\n${started.output.stdout}\nstderr:\n${started.output.stderr}`))), timeoutMs);
    const done = (then: () => void) => {
      clearTimeout(timer);
      started.child.stdout?.off('data', check);
      started.child.off('exit', onExit);
      then();
    };
    started.child.stdout?.on('data', check);
    started.child.once('exit', onExit);
    check();
  });
}

/** Resolves when nothing listens on 127.0.0.1:`port`; rejects naming what to stop otherwise. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} is taken (another \`slipway demo\` or \`npm start\` running?): the demo's shop needs its fixed ingress ports 8080/8081; stop it first` : err.message)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
