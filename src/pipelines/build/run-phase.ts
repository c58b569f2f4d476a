import fs from 'node:fs';
import path from 'node:path';
import { signalProcessGroup, spawnProcess } from '../../core/index.js';
import { MaskedLineSplitter, type SecretPatterns } from '../secrets/index.js';
import type { CompiledPhase } from './buildspec/index.js';
import type { LogLineSource } from './model.js';
import { parseEnvDump, phaseScript } from './phase-script.js';

/** How a phase's shell ended. */
export interface PhaseOutcome {
  readonly exitCode: number | null;
  /** Why it was killed, if it was. */
  readonly killedFor: 'Stopped' | 'TimedOut' | undefined;
  /** The environment at the end of the phase; undefined when the shell did not get to write it. */
  readonly env: Record<string, string> | undefined;
  readonly failedCommand: string | undefined;
  /** The process group, for killing what it left running at the end of the build. */
  readonly pgid: number | undefined;
}

/** Inputs of {@link runPhase}. */
export interface RunPhaseInput {
  readonly phase: CompiledPhase;
  readonly shell: 'bash' | 'sh';
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly scratchDir: string;
  /** Masked in every output line (compiled once per build). */
  readonly secrets: SecretPatterns;
  readonly onLogLine: (line: string, source: LogLineSource) => void;
  /** Aborted with reason 'Stopped' or 'TimedOut'. */
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
}

/** After the shell exits, how long to wait for output still in the pipes (a background process may hold them open). */
const DRAIN_MS = 200;

/** Runs one phase's commands and `finally` in one shell (see `phaseScript`). */
export async function runPhase(input: RunPhaseInput): Promise<PhaseOutcome> {
  const { phase } = input;
  const envFile = path.join(input.scratchDir, `${phase.name}.env`);
  const statusFile = path.join(input.scratchDir, `${phase.name}.status`);
  const scriptFile = path.join(input.scratchDir, `${phase.name}.sh`);
  fs.writeFileSync(scriptFile, phaseScript(phase.commands, phase.finally, { envFile, statusFile }), { mode: 0o600 });
  const child = spawnProcess(input.shell === 'bash' ? 'bash' : '/bin/sh', [scriptFile], { cwd: input.cwd, env: { ...input.env }, processGroup: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  const splitters = (['stdout', 'stderr'] as const).map((stream) => {
    const splitter = new MaskedLineSplitter({ secrets: input.secrets, onLine: (line) => input.onLogLine(line, { phase: phase.name, stream }) });
    const source = child[stream];
    const ended = new Promise<void>((resolve) => {
      source?.on('data', (b: Buffer) => splitter.write(b));
      source?.on('end', resolve);
      source?.on('close', resolve);
      source?.on('error', () => resolve());
    });
    return { splitter, source, ended };
  });

  let killedFor: 'Stopped' | 'TimedOut' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    killedFor = input.signal.reason === 'TimedOut' ? 'TimedOut' : 'Stopped';
    if (pgid !== undefined) signalProcessGroup(pgid, 'SIGTERM');
    killTimer = setTimeout(() => {
      if (pgid !== undefined) signalProcessGroup(pgid, 'SIGKILL');
    }, input.killGraceMs);
  };
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code));
  });
  if (input.signal.aborted) onAbort();
  else input.signal.addEventListener('abort', onAbort, { once: true });
  const exitCode = await exited;
  input.signal.removeEventListener('abort', onAbort);
  if (killTimer) clearTimeout(killTimer);
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(splitters.map((s) => s.ended)), new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, DRAIN_MS)))]);
  if (drainTimer) clearTimeout(drainTimer);
  for (const s of splitters) {
    s.source?.removeAllListeners('data');
    s.source?.destroy();
    s.splitter.end();
  }
  if (killedFor !== undefined) return { exitCode: null, killedFor, env: undefined, failedCommand: undefined, pgid };
  let env: Record<string, string> | undefined;
  let failedCommand: string | undefined;
  try {
    env = parseEnvDump(fs.readFileSync(envFile));
    const [, id = ''] = fs.readFileSync(statusFile, 'utf8').trim().split(' ');
    const index = Number(id.slice(1)) - 1;
    failedCommand = id.startsWith('c') ? phase.commands[index] : id.startsWith('f') ? phase.finally[index] : undefined;
  } catch {
    // The shell died before its EXIT trap finished (e.g. `exit` inside a finally command).
  }
  return { exitCode, killedFor: undefined, env, failedCommand, pgid };
}
