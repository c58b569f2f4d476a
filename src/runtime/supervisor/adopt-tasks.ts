import { signalProcessGroup } from '../../core/index.js';
import { LIVE_TASK_STATES, taskSubject } from '../model.js';
import { readProcStat } from '../process/proc-stat.js';
import { isTaskProcessAlive } from '../process/task-process.js';
import type { TaskRecord } from '../store/task-store.js';
import { FAILURE_REASONS, taskEventData, type SupervisorContext } from './context.js';
import { recordFailure } from './record-failure.js';
import { tailTaskLogs } from './tail-task-logs.js';

/** Result of {@link adoptTasks}. */
export interface AdoptionResult {
  /** Tasks found running and taken over. */
  readonly adopted: TaskRecord[];
  /** Tasks found dead (marked Failed, or Stopped when they were being stopped). */
  readonly dead: TaskRecord[];
  /** Adopted tasks whose interrupted stop must be resumed. */
  readonly toStop: TaskRecord[];
}

/**
 * Takes over the tasks a previous control plane left: every task the
 * database says is running whose process is alive and really is that task
 * (same pid and start time) is re-attached (health checks and log tailing
 * resume from the stored offsets); the others are recorded as exited and
 * count as failures, so the reconciler replaces them. Starts nothing.
 */
export function adoptTasks(ctx: SupervisorContext): AdoptionResult {
  const result: AdoptionResult = { adopted: [], dead: [], toStop: [] };
  const now = ctx.clock.now();
  for (const task of ctx.tasks.list({ states: LIVE_TASK_STATES })) {
    if (ctx.live.has(task.id)) continue;
    if (task.pid !== null && isTaskProcessAlive(task.pid, task.procStartTicks)) {
      ctx.live.set(task.id, { probing: false, nextProbeAtMs: now });
      ctx.events.append({ type: 'task.adopted', subject: taskSubject(task.id), data: { ...taskEventData(task), pid: task.pid, port: task.port, state: task.state } });
      result.adopted.push(task);
      if (task.state === 'Unhealthy' || task.state === 'Stopping') result.toStop.push(task);
      continue;
    }
    // A pid nobody uses any more cannot be a new group's id, so the group holds only the task's leftovers.
    if (task.pgid !== null && readProcStat(task.pgid) === undefined) signalProcessGroup(task.pgid, 'SIGKILL');
    tailTaskLogs(ctx, task, true);
    const ending = task.state === 'Stopping' || task.state === 'Unhealthy';
    const reason = ending ? (task.reason ?? (task.state === 'Unhealthy' ? 'unhealthy' : 'dead-on-adoption')) : task.pid === null ? 'start-failed' : 'dead-on-adoption';
    const failed = (FAILURE_REASONS as readonly string[]).includes(reason);
    ctx.tasks.update(task.id, { state: failed ? 'Failed' : 'Stopped', reason, endedAtMs: now }, now);
    // A task already on its way out was counted (or was not a failure) when its stop began.
    const backoffMs = ending ? 0 : recordFailure(ctx, task);
    ctx.events.append({
      type: 'task.exited',
      subject: taskSubject(task.id),
      data: { ...taskEventData(task), pid: task.pid, code: null, signal: null, exitStatusKnown: false, expected: !failed, previousState: task.state, reason, message: 'found dead on adoption', backoffMs },
    });
    result.dead.push(task);
  }
  return result;
}
