import { signalProcessGroup, spawnProcess } from '../../../core/index.js';
import { MaskedLineSplitter, SecretPatterns, maskSecrets } from '../../secrets/index.js';
import { variableEnv } from '../variable-env.js';
import type { ActionContext } from './action-context.js';

const BASE_ENV_KEYS = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];
const KILL_GRACE_MS = 2_000;

/** How a command of an action ended: its exit status or signal, or `aborted` when the action's signal stopped it. */
export interface ShellCommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly aborted: boolean;
}

/**
 * Runs an action's `command` through `/bin/sh -c` in `cwd`, in its own process group, with the
 * control plane's base environment only (not its tokens) plus `SLIPWAY_COMMIT_ID`, `SLIPWAY_BRANCH`,
 * `SLIPWAY_PIPELINE_RUN_ID` and every pipeline variable as `SLIPWAY_VAR_<namespace>_<name>`. The
 * command's `#{…}` references were resolved in shell mode, so they read those variables: no value
 * is part of the command text. Output goes to the action's log, masked. The action's signal
 * stops the group (SIGTERM, then SIGKILL); whatever it left running goes with it at the end.
 */
export async function runShellCommand(ctx: ActionContext, command: string, cwd: string): Promise<ShellCommandResult> {
  const { services, run } = ctx;
  const env: NodeJS.ProcessEnv = {};
  for (const k of BASE_ENV_KEYS) if (process.env[k] !== undefined) env[k] = process.env[k];
  Object.assign(env, variableEnv(run.variables).env, { SLIPWAY_COMMIT_ID: run.commitSha, SLIPWAY_BRANCH: run.branch ?? '', SLIPWAY_PIPELINE_RUN_ID: String(run.id) });
  const secrets = new SecretPatterns(await services.secretValues());
  ctx.log(maskSecrets(`[Container] Running command ${command}`, secrets), 'system');
  const child = spawnProcess(command, [], { cwd, env, shell: true, processGroup: true });
  const splitters = (['stdout', 'stderr'] as const).map((stream) => {
    const s = new MaskedLineSplitter({ secrets, onLine: (line) => ctx.log(line, stream) });
    child[stream]?.on('data', (chunk: Buffer) => s.write(chunk));
    return s;
  });
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (child.pid === undefined) return;
    signalProcessGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => child.pid !== undefined && signalProcessGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('error', (err) => {
        ctx.log(`could not start: ${err.message}`, 'system');
        resolve({ code: 127, signal: null });
      });
      child.on('close', (c, s) => resolve({ code: c, signal: s }));
    });
    for (const s of splitters) s.end();
    return { code, signal, aborted: ctx.signal.aborted };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    // Whatever the command left running in its group goes with it.
    if (child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
  }
}
