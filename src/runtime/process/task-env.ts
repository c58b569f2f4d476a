/** What each task is told about itself. */
export interface TaskIdentity {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly taskId: string;
  readonly port: number;
  /** Name of the port variable. */
  readonly portEnv: string;
}

/**
 * The whole environment of a task: a minimal base (PATH, HOME and NODE_*
 * from the control plane), then the spec's variables, then the task's own
 * (port and SLIPWAY_*), which a spec cannot override.
 */
export function buildTaskEnv(parent: NodeJS.ProcessEnv, specEnv: Readonly<Record<string, string>>, task: TaskIdentity): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v !== undefined && (k === 'PATH' || k === 'HOME' || k.startsWith('NODE_'))) env[k] = v;
  }
  Object.assign(env, specEnv);
  env[task.portEnv] = String(task.port);
  env.SLIPWAY_ENV = task.environment;
  env.SLIPWAY_SERVICE = task.service;
  env.SLIPWAY_REVISION = task.revision;
  env.SLIPWAY_TASK_ID = task.taskId;
  return env;
}
