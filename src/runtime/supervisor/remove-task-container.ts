import { containerName, removeContainer } from '../process/container-task.js';
import type { TaskRecord } from '../store/task-store.js';
import type { SupervisorContext } from './context.js';

/** Removes the container of a task of a container set, in the background (see `removeContainer`); nothing for process tasks. */
export function removeTaskContainer(ctx: SupervisorContext, task: Pick<TaskRecord, 'id' | 'environment' | 'service' | 'revision'>): void {
  const container = ctx.sets.tryFind(task)?.spec.container;
  if (container === undefined) return;
  void removeContainer(container, containerName(task.id), ctx.logger);
}
