import { signalProcessGroup, spawnProcess, type ExecResult } from '../../core/index.js';
import type { HookName, ResolvedHook } from '../../shared/index.js';

/** What a hook is told about the deployment it runs in. */
export interface HookContext {
  readonly deploymentId: number;
  readonly hook: HookName;
  readonly service: string;
  readonly environment: string;
  readonly fromRevision: string | null;
  readonly toRevision: string;
  /** URL of the environment's test listener when it reaches the new revision. */
  readonly testUrl: string | undefined;
  /** URL of the service's stable listener. */
  readonly serviceUrl: string | undefined;
  /** Working directory of command hooks (the app's directory). */
  readonly cwd: string;
}

/** The outcome of running a hook, with its output for the deployment log. */
export interface HookOutcome {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly httpStatus: number | null;
  readonly message: string;
  readonly output: string;
  readonly durationMs: number;
}

/** The variables a command hook gets (and the JSON body a URL hook gets, in camelCase). */
export function hookEnv(c: HookContext): Record<string, string> {
  return {
    SLIPWAY_DEPLOYMENT_ID: String(c.deploymentId),
    SLIPWAY_HOOK: c.hook,
    SLIPWAY_SERVICE: c.service,
    SLIPWAY_ENVIRONMENT: c.environment,
    SLIPWAY_FROM_REVISION: c.fromRevision ?? '',
    SLIPWAY_TO_REVISION: c.toRevision,
    SLIPWAY_TEST_URL: c.testUrl ?? '',
    SLIPWAY_SERVICE_URL: c.serviceUrl ?? '',
  };
}

const MAX_OUTPUT = 16_384;

/**
 * Runs a lifecycle hook: a command through `/bin/sh -c` (exit 0 passes) or a
 * POST of the deployment as JSON to a URL (a 2xx answer passes), each within
 * its timeout. Never throws: a hook that cannot run has failed.
 */
export async function runHook(hook: ResolvedHook, c: HookContext): Promise<HookOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  if (hook.kind === 'Command') {
    try {
      const r = await runCommand(hook.command, c.cwd, { ...process.env, ...hookEnv(c) }, hook.timeoutMs);
      const output = `${r.stdout}${r.stderr}`.slice(-MAX_OUTPUT);
      const ok = r.code === 0;
      const message = ok ? 'exited 0' : r.signal ? `killed by ${r.signal}${r.signal === 'SIGKILL' ? ` (timeout ${hook.timeoutMs} ms?)` : ''}` : `exited ${r.code}`;
      return { ok, exitCode: r.code, httpStatus: null, message, output, durationMs: took() };
    } catch (err) {
      return { ok: false, exitCode: null, httpStatus: null, message: (err as Error).message, output: '', durationMs: took() };
    }
  }
  const body = { deploymentId: c.deploymentId, hook: c.hook, service: c.service, environment: c.environment, fromRevision: c.fromRevision, toRevision: c.toRevision, testUrl: c.testUrl ?? null };
  try {
    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(hook.timeoutMs) });
    const output = (await res.text()).slice(0, MAX_OUTPUT);
    return { ok: res.status >= 200 && res.status < 300, exitCode: null, httpStatus: res.status, message: `answered ${res.status}`, output, durationMs: took() };
  } catch (err) {
    return { ok: false, exitCode: null, httpStatus: null, message: `POST ${hook.url} failed: ${(err as Error).message}`, output: '', durationMs: took() };
  }
}

/** Runs a shell command in its own process group, so a timeout kills the command and everything it started. */
function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawnProcess(command, [], { shell: true, cwd, env, processGroup: true });
    const out: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => out.push(b));
    const timer = setTimeout(() => child.pid !== undefined && signalProcessGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: '' });
    });
  });
}
