import { signalProcessGroup } from '../../core/index.js';
import { taskSubject } from '../model.js';
import { taskEventData, type SupervisorContext } from './context.js';
import { recordFailure } from './record-failure.js';
import { removeTaskContainer } from './remove-task-container.js';
import { tailTaskLogs } from './tail-task-logs.js';

/**
 * Records that a task's process is gone. During a stop, only the exit status
 * is kept (the stop sequence finishes the task). Otherwise the task failed:
 * leftovers of its group are killed, it becomes Failed with `task.exited`,
 * and its set's backoff grows so the replacement waits.
 */
export function handleTaskExit(ctx: SupervisorContext, taskId: string, code: number | null, signal: string | null, known: boolean): void {
  const live = ctx.live.get(taskId);
  if (live && known) live.exit = { code, signal };
  const task = ctx.tasks.tryFind(taskId);
  if (!task || task.state === 'Stopping' || task.state === 'Stopped' || task.state === 'Failed') return;
  // Children the task left behind would hold its port and log files.
  if (task.pgid !== null) signalProcessGroup(task.pgid, 'SIGKILL');
  removeTaskContainer(ctx, task);
  tailTaskLogs(ctx, task, true);
  const now = ctx.clock.now();
  const reason = task.state === 'Starting' ? 'exited-during-start' : 'exited';
  ctx.tasks.update(taskId, { state: 'Failed', reason, endedAtMs: now, exitCode: code, exitSignal: signal }, now);
  ctx.live.delete(taskId);
  const backoffMs = recordFailure(ctx, task);
  ctx.events.append({
    type: 'task.exited',
    subject: taskSubject(taskId),
    data: {
      ...taskEventData(task),
      pid: task.pid,
      code,
      signal,
      exitStatusKnown: known,
      expected: false,
      previousState: task.state,
      reason,
      uptimeMs: now - task.startedAtMs,
      backoffMs,
    },
  });
}
