import { signalProcessGroup } from '../../core/index.js';
import { taskSubject, type TaskState } from '../model.js';
import { isProcessGroupAlive } from '../process/task-process.js';
import { taskEventData, toTask, type SupervisorContext } from './context.js';
import { removeTaskContainer } from './remove-task-container.js';
import { tailTaskLogs } from './tail-task-logs.js';

/** Timing of a graceful stop. */
export interface StopTiming {
  /** Wait between `beforeTaskStop` and SIGTERM. */
  readonly drainMs: number;
  /** Wait between SIGTERM and SIGKILL. */
  readonly stopTimeoutMs: number;
}

/** How long to wait for a group to go after SIGKILL before giving up on it. */
const KILL_WAIT_MS = 5000;
const POLL_MS = 20;

/**
 * Stops a task gracefully: Stopping → `beforeTaskStop` (the caller
 * deregisters it from the router) → wait `drainMs` → SIGTERM to the group →
 * SIGKILL after `stopTimeoutMs` (event `task.killed`) → `finalState`
 * (Stopped, or Failed when the stop is a replacement of an unhealthy task).
 * Every step is persisted, so adoption can resume a stop cut short.
 */
export async function stopTask(ctx: SupervisorContext, taskId: string, reason: string, finalState: Extract<TaskState, 'Stopped' | 'Failed'>, timing: StopTiming): Promise<void> {
  const task = ctx.tasks.tryFind(taskId);
  if (!task || task.state === 'Stopped' || task.state === 'Failed') return;
  const data = taskEventData(task);
  if (task.state !== 'Stopping') {
    ctx.tasks.update(taskId, { state: 'Stopping', reason }, ctx.clock.now());
    ctx.events.append({ type: 'task.stop.requested', subject: taskSubject(taskId), data: { ...data, reason, previousState: task.state } });
  }
  let hookError: string | undefined;
  if (ctx.beforeTaskStop) {
    try {
      await ctx.beforeTaskStop(toTask({ ...task, state: 'Stopping', reason }));
    } catch (err) {
      // A failing hook must not keep a task running forever; it is recorded on the stop event.
      hookError = (err as Error).message;
      ctx.logger.warn('beforeTaskStop failed', { taskId, error: hookError });
    }
  }
  const pgid = task.pgid;
  const alive = () => pgid !== null && isProcessGroupAlive(pgid);
  if (timing.drainMs > 0 && alive()) await waitUntil(() => !alive() || ctx.detached(), timing.drainMs);
  if (ctx.detached()) return;
  let forced = false;
  if (alive()) {
    signalProcessGroup(pgid!, 'SIGTERM');
    await waitUntil(() => !alive() || ctx.detached(), timing.stopTimeoutMs);
    if (ctx.detached()) return;
    if (alive()) {
      forced = true;
      signalProcessGroup(pgid!, 'SIGKILL');
      ctx.events.append({
        type: 'task.killed',
        subject: taskSubject(taskId),
        data: { ...data, signal: 'SIGKILL', stopTimeoutMs: timing.stopTimeoutMs, message: `did not exit within ${timing.stopTimeoutMs} ms of SIGTERM` },
      });
      await waitUntil(() => !alive() || ctx.detached(), KILL_WAIT_MS);
    }
  }
  if (ctx.detached()) return;
  // Forced or not: a killed `run` process leaves its container running.
  removeTaskContainer(ctx, task);
  const live = ctx.live.get(taskId);
  // Our own child reports its exit status shortly after the group is gone.
  if (live?.child) await waitUntil(() => live.exit !== undefined, 1000);
  const exit = live?.exit;
  const current = ctx.tasks.tryFind(taskId);
  if (!current) return;
  tailTaskLogs(ctx, current, true);
  const ended = ctx.clock.now();
  ctx.tasks.update(taskId, { state: finalState, endedAtMs: ended, exitCode: exit?.code ?? null, exitSignal: exit?.signal ?? null }, ended);
  ctx.live.delete(taskId);
  ctx.events.append({
    type: 'task.exited',
    subject: taskSubject(taskId),
    data: { ...data, pid: task.pid, code: exit?.code ?? null, signal: exit?.signal ?? null, exitStatusKnown: exit !== undefined, expected: true },
  });
  ctx.events.append({
    type: 'task.stopped',
    subject: taskSubject(taskId),
    data: { ...data, reason, state: finalState, forced, ...(hookError !== undefined ? { beforeTaskStopError: hookError } : {}) },
  });
}

/** Polls `done` every few ms until it holds or `timeoutMs` passes. Returns whether it held. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
  return true;
}
