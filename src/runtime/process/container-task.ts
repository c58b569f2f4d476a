import { exec, type Logger } from '../../core/index.js';
import type { ContainerSpec } from '../model.js';
import type { TaskIdentity } from './task-env.js';

/** The container name of a task: unique per task, so a leftover is found and removed by name. */
export function containerName(taskId: string): string {
  return `slipway-${taskId}`;
}

/** The label names every task container carries, so `podman ps --filter label=…` finds slipway's. */
export const CONTAINER_LABELS = {
  managedBy: 'io.slipway.managed-by',
  app: 'io.slipway.app',
  environment: 'io.slipway.environment',
  service: 'io.slipway.service',
  revision: 'io.slipway.revision',
  taskId: 'io.slipway.task-id',
} as const;

/** The labels of one task's container. */
export function containerLabels(app: string | undefined, task: TaskIdentity): Record<string, string> {
  return {
    [CONTAINER_LABELS.managedBy]: 'slipway',
    ...(app !== undefined ? { [CONTAINER_LABELS.app]: app } : {}),
    [CONTAINER_LABELS.environment]: task.environment,
    [CONTAINER_LABELS.service]: task.service,
    [CONTAINER_LABELS.revision]: task.revision,
    [CONTAINER_LABELS.taskId]: task.taskId,
  };
}

/**
 * The arguments of `<engine>` that run one task's container attached: removed when it ends, host
 * networking (the task listens on its `PORT` on loopback like a process task), labelled, limits where
 * given, and each of `envNames` passed by name, so values (secrets included) travel in the engine's
 * environment and never in its arguments.
 */
export function containerRunArgs(spec: ContainerSpec, name: string, labels: Readonly<Record<string, string>>, envNames: readonly string[]): string[] {
  return [
    ...spec.engine.globalArgs,
    'run',
    '--rm',
    '--name',
    name,
    '--network',
    'host',
    ...spec.engine.runArgs,
    ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...(spec.cpus !== undefined ? ['--cpus', String(spec.cpus)] : []),
    ...(spec.memoryMiB !== undefined ? ['--memory', `${spec.memoryMiB}m`] : []),
    ...envNames.flatMap((k) => ['-e', k]),
    spec.image,
  ];
}

/**
 * Removes a task's container, whatever state it is in. The engine's attached `run` process going
 * away (SIGKILL, a crash) does not stop the container — its monitor keeps it running, holding the
 * port — so every end of a container task calls this. Never throws; a container already gone is fine.
 */
export async function removeContainer(spec: ContainerSpec, name: string, logger: Logger): Promise<void> {
  try {
    const r = await exec(spec.engine.command, [...spec.engine.globalArgs, 'rm', '-f', '-t', '0', name], { timeoutMs: 30_000 });
    if (r.code !== 0 && !/no such container/i.test(r.stderr)) logger.warn('could not remove a task container', { container: name, error: r.stderr.trim().split('\n').pop() });
  } catch (err) {
    logger.warn('could not remove a task container', { container: name, error: (err as Error).message });
  }
}
