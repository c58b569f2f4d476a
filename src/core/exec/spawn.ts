import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { SlipwayError } from '../../shared/index.js';

/** Options of {@link spawnProcess}. */
export interface SpawnOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** The whole environment of the child (not merged with this process's). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Run `command` through `/bin/sh -c` (for user-written commands such as `node server.js`). @default false */
  readonly shell?: boolean;
  /** Start the child as leader of its own process group, so the group can be signalled as one. @default false */
  readonly processGroup?: boolean;
  /** stdio of the child. @default ['ignore', 'pipe', 'pipe'] */
  readonly stdio?: StdioOptions;
}

/**
 * Starts a process. This module is the only place in slipway that spawns
 * (a lint rule enforces it), so process handling has one set of rules.
 */
export function spawnProcess(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  const stdio = options.stdio ?? ['ignore', 'pipe', 'pipe'];
  try {
    return options.shell
      ? spawn('/bin/sh', ['-c', [command, ...args].join(' ')], { cwd: options.cwd, env: options.env ?? process.env, detached: options.processGroup ?? false, stdio })
      : spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, detached: options.processGroup ?? false, stdio });
  } catch (cause) {
    throw new SlipwayError('SLW_ERR_EXEC_FAILED', `could not start ${command}: ${(cause as Error).message}`, { cause });
  }
}

/** Result of {@link exec}. */
export interface ExecResult {
  /** Exit code, or null when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended the process, if any. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link exec}. */
export interface ExecOptions extends Omit<SpawnOptions, 'stdio' | 'processGroup'> {
  /** Kill the process (SIGKILL) after this long. @default no limit */
  readonly timeoutMs?: number;
  /** Written to the child's stdin, then closed. */
  readonly input?: string;
}

/** Runs a command to completion and collects its output. Never rejects for a non-zero exit. */
export function exec(command: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnProcess(command, args, { ...options, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    } catch (err) {
      reject(err as Error);
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (cause) => {
      if (timer) clearTimeout(timer);
      reject(new SlipwayError('SLW_ERR_EXEC_FAILED', `could not run ${command}: ${cause.message}`, { cause }));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
