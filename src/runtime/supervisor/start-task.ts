import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnProcess } from '../../core/index.js';
import { backoffDelayMs } from '../backoff.js';
import { LIVE_TASK_STATES, taskSubject } from '../model.js';
import { allocatePort } from '../../core/index.js';
import { readProcStat } from '../process/proc-stat.js';
import { containerLabels, containerName, containerRunArgs } from '../process/container-task.js';
import { buildTaskEnv } from '../process/task-env.js';
import type { TaskSetRecord } from '../store/task-set-store.js';
import type { TaskRecord } from '../store/task-store.js';
import { FAILURE_REASONS, taskEventData, type SupervisorContext } from './context.js';
import { recordFailure } from './record-failure.js';

/** Called when a child this supervisor spawned exits. */
export type ChildExitHandler = (taskId: string, code: number | null, signal: string | null) => void;

/**
 * Starts one task of a set: a free loopback port, log files under the data
 * directory, the process in its own group with stdout/stderr going to those
 * files (not pipes, so it outlives the control plane), then the row, the
 * `task.started` event and, when it takes the place of a failed task,
 * `task.replaced`. Returns the task, or undefined when it could not start
 * (recorded as a Failed task and a `task.start.failed` event).
 */
export async function startTask(ctx: SupervisorContext, set: TaskSetRecord, onExit: ChildExitHandler): Promise<TaskRecord | undefined> {
  const spec = set.spec;
  const id = `${spec.service}-${crypto.randomBytes(5).toString('hex')}`;
  const inUse = new Set(ctx.tasks.list({ states: LIVE_TASK_STATES }).map((t) => t.port));
  const port = await allocatePort(inUse);
  fs.mkdirSync(ctx.logsDir, { recursive: true, mode: 0o700 });
  const stdoutPath = path.join(ctx.logsDir, `${id}.stdout.log`);
  const stderrPath = path.join(ctx.logsDir, `${id}.stderr.log`);
  const now = ctx.clock.now();
  const record: TaskRecord = {
    id,
    environment: spec.environment,
    service: spec.service,
    revision: spec.revision,
    state: 'Starting',
    pid: null,
    pgid: null,
    port,
    procStartTicks: null,
    startedAtMs: now,
    healthySinceMs: null,
    healthSuccesses: 0,
    healthFailures: 0,
    lastHealthError: null,
    restarts: set.failureStreak,
    exitCode: null,
    exitSignal: null,
    reason: null,
    endedAtMs: null,
    replacedBy: null,
    stdoutPath,
    stderrPath,
    stdoutOffset: 0,
    stderrOffset: 0,
  };
  // The row exists before the process does: a crash in between leaves a pid-less task adoption marks failed.
  ctx.tasks.insert(record, now);
  const identity = { environment: spec.environment, service: spec.service, revision: spec.revision, taskId: id, port, portEnv: spec.portEnv };
  let startEnv: Readonly<Record<string, string>> = {};
  try {
    startEnv = ctx.startEnv?.(identity, spec.env) ?? {};
  } catch (err) {
    // The task still starts; what it would have been given is missing (its telemetry is refused, visibly).
    ctx.report('start-env', err, id);
  }
  let startError: string | undefined;
  let secretEnv: Readonly<Record<string, string>> = {};
  if (spec.secrets !== undefined && Object.keys(spec.secrets).length > 0) {
    // Unlike the start env, a missing secret stops the start: a task without its secrets would run wrong, not degraded.
    try {
      if (!ctx.secrets) throw new Error(`the task set pins secrets (${Object.keys(spec.secrets).join(', ')}) but this supervisor has no secret store`);
      secretEnv = ctx.secrets.resolve(spec.secrets);
    } catch (err) {
      startError = (err as Error).message;
    }
  }
  const env = buildTaskEnv(process.env, spec.env, identity, { ...secretEnv, ...startEnv });
  const container = spec.container;
  // A container gets the task's own variables by name, not the control plane's PATH, HOME or NODE_*.
  const containerArgs =
    container === undefined ? undefined : containerRunArgs(container, containerName(id), containerLabels(container.app, identity), Object.keys(buildTaskEnv({}, spec.env, identity, { ...secretEnv, ...startEnv })));
  let child: ReturnType<typeof spawnProcess> | undefined;
  const outFd = fs.openSync(stdoutPath, 'a', 0o600);
  const errFd = fs.openSync(stderrPath, 'a', 0o600);
  try {
    if (startError !== undefined) throw new Error(startError);
    child =
      container === undefined || containerArgs === undefined
        ? spawnProcess(spec.command, [], { cwd: spec.cwd, env, shell: true, processGroup: true, stdio: ['ignore', outFd, errFd] })
        : spawnProcess(container.engine.command, containerArgs, { env: { ...process.env, ...env }, processGroup: true, stdio: ['ignore', outFd, errFd] });
    if (child.pid === undefined) startError = `could not start in ${spec.cwd}`;
  } catch (err) {
    startError = (err as Error).message;
  } finally {
    // The child holds its own copies of the descriptors.
    fs.closeSync(outFd);
    fs.closeSync(errFd);
  }
  if (child) {
    // The 'error' event of a failed spawn must not become an uncaught exception.
    child.on('error', (err) => ctx.logger.warn('task process error', { taskId: id, error: err.message }));
  }
  if (!child || child.pid === undefined || startError !== undefined) {
    const ended = ctx.clock.now();
    ctx.tasks.update(id, { state: 'Failed', reason: 'start-failed', endedAtMs: ended }, ended);
    const backoffMs = recordFailure(ctx, set);
    ctx.events.append({ type: 'task.start.failed', subject: taskSubject(id), data: { ...taskEventData(record), error: startError ?? 'unknown error', command: container === undefined ? spec.command : `${container.engine.command} run ${container.image}`, backoffMs } });
    return undefined;
  }
  const pid = child.pid;
  child.unref();
  child.on('exit', (code, signal) => onExit(id, code, signal));
  const startTicks = readProcStat(pid)?.startTicks ?? null;
  ctx.tasks.update(id, { pid, pgid: pid, procStartTicks: startTicks }, ctx.clock.now());
  const check = spec.health;
  ctx.live.set(id, { child, probing: false, nextProbeAtMs: now + Math.min(check.intervalMs, 250) });
  ctx.events.append({ type: 'task.started', subject: taskSubject(id), data: { ...taskEventData(record), pid, port, restarts: set.failureStreak } });
  const failed = ctx.tasks.list({ ...set }).find((t) => t.replacedBy === null && t.id !== id && t.reason !== null && (FAILURE_REASONS as readonly string[]).includes(t.reason));
  if (failed) {
    ctx.tasks.update(failed.id, { replacedBy: id }, ctx.clock.now());
    ctx.events.append({
      type: 'task.replaced',
      subject: taskSubject(failed.id),
      data: { ...taskEventData(failed), replacementTaskId: id, reason: failed.reason, backoffMs: backoffDelayMs(set.failureStreak, ctx.backoff) },
    });
  }
  return ctx.tasks.tryFind(id);
}
