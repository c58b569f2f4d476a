/** What each task is told about itself. */
export interface TaskIdentity {
  /** Environment it runs in. */
  readonly environment: string;
  /** Service it belongs to. */
  readonly service: string;
  /** Revision it runs. */
  readonly revision: string;
  /** Its id. */
  readonly taskId: string;
  /** Port it listens on. */
  readonly port: number;
  /** Name of the port variable. */
  readonly portEnv: string;
}

/**
 * The whole environment of a task: a minimal base (PATH, HOME and NODE_*
 * from the control plane), then the spec's variables, then what the control
 * plane gives this start only (`startEnv`, e.g. the telemetry ingest key, never
 * stored with the spec), then the task's own (port and SLIPWAY_*), which
 * nothing can override.
 */
export function buildTaskEnv(
  parent: NodeJS.ProcessEnv,
  specEnv: Readonly<Record<string, string>>,
  task: TaskIdentity,
  startEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v !== undefined && (k === 'PATH' || k === 'HOME' || k.startsWith('NODE_'))) env[k] = v;
  }
  Object.assign(env, specEnv, startEnv);
  env[task.portEnv] = String(task.port);
  env.SLIPWAY_ENV = task.environment;
  env.SLIPWAY_SERVICE = task.service;
  env.SLIPWAY_REVISION = task.revision;
  env.SLIPWAY_TASK_ID = task.taskId;
  return env;
}
