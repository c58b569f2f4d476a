/** Lifecycle states of a task; the same words in the API, the database and the UI. */
export type TaskState = 'Starting' | 'Healthy' | 'Unhealthy' | 'Stopping' | 'Stopped' | 'Failed';

/** States in which a task counts towards its set's desired count. */
export const ACTIVE_TASK_STATES: readonly TaskState[] = ['Starting', 'Healthy'];

/** States a task never leaves. */
export const TERMINAL_TASK_STATES: readonly TaskState[] = ['Stopped', 'Failed'];

/** How the supervisor health-checks each task of a set (an HTTP GET on loopback). */
export interface HealthCheckSpec {
  /** Path requested, e.g. `/healthz`. A 2xx or 3xx answer is a success. */
  readonly path: string;
  /** Time between two checks of one task. @default 2000 */
  readonly intervalMs?: number;
  /** A check that has not answered after this long fails. @default 1000 */
  readonly timeoutMs?: number;
  /** Consecutive successes that make a Starting task Healthy. @default 1 */
  readonly healthyThreshold?: number;
  /** Consecutive failures (after the grace period) that make a task Unhealthy. @default 3 */
  readonly unhealthyThreshold?: number;
  /** Failures during this time after start do not count (the service is booting). @default 10000 */
  readonly gracePeriodMs?: number;
}

/** Target tracking configuration of a task set; the Autoscaler acts on sets that have one. */
export interface ScalingSpec {
  /** Fewest tasks. */
  readonly minCount: number;
  /** Most tasks. */
  readonly maxCount: number;
  /** Average CPU of the set's tasks to track, in percent of one core. */
  readonly targetCpuPercent?: number;
  /** Requests per task to track (measured by the caller's provider). */
  readonly targetRequestsPerTask?: number;
  /** No scale-out within this time after the previous scale-out. @default 60000 */
  readonly scaleOutCooldownMs?: number;
  /** No scale-in within this time after any scaling activity. @default 300000 */
  readonly scaleInCooldownMs?: number;
}

/** What to run: one revision of one service in one environment, and how many copies. */
export interface TaskSetSpec {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  /** Shell command run through `/bin/sh -c`, e.g. `node server.js`. */
  readonly command: string;
  /** Working directory of the command. */
  readonly cwd: string;
  /** Variables merged onto the minimal base environment (PATH, HOME, NODE_*). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** How many tasks should run. */
  readonly desiredCount: number;
  /** Name of the variable that carries the task's port. @default 'PORT' */
  readonly portEnv?: string;
  readonly health: HealthCheckSpec;
  /** Time between deregistration and SIGTERM, so in-flight requests finish. @default 5000 */
  readonly drainMs?: number;
  /** Time between SIGTERM and SIGKILL. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** Target tracking; without it the set keeps `desiredCount`. */
  readonly scaling?: ScalingSpec;
}

/** A {@link HealthCheckSpec} with every default filled in. */
export type CompiledHealthCheck = Readonly<Required<HealthCheckSpec>>;

/** A {@link ScalingSpec} with every default filled in. */
export interface CompiledScaling extends Readonly<Required<Omit<ScalingSpec, 'targetCpuPercent' | 'targetRequestsPerTask'>>> {
  readonly targetCpuPercent?: number;
  readonly targetRequestsPerTask?: number;
}

/** A validated, frozen {@link TaskSetSpec} with every default filled in. */
export interface CompiledTaskSetSpec {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly desiredCount: number;
  readonly portEnv: string;
  readonly health: CompiledHealthCheck;
  readonly drainMs: number;
  readonly stopTimeoutMs: number;
  readonly scaling?: CompiledScaling;
}

/** A running (or finished) copy of a task set, as persisted. */
export interface Task {
  readonly id: string;
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly state: TaskState;
  /** Process id of the group leader; null before it was spawned. */
  readonly pid: number | null;
  /** Process group id (equal to `pid`). */
  readonly pgid: number | null;
  /** Loopback port the task listens on. */
  readonly port: number;
  readonly startedAtMs: number;
  /** When the task was last found Healthy for the first time in a row. */
  readonly healthySinceMs: number | null;
  /** Consecutive health check successes and failures. */
  readonly healthSuccesses: number;
  readonly healthFailures: number;
  /** Message of the last failed health check. */
  readonly lastHealthError: string | null;
  /** How many failed tasks of the set came right before this one (the crash-loop streak). */
  readonly restarts: number;
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  /** Why the task is stopping or stopped, e.g. `scaled-in`, `unhealthy`, `exited`. */
  readonly reason: string | null;
  readonly endedAtMs: number | null;
  /** The task started in this one's place, once there is one. */
  readonly replacedBy: string | null;
}

/** One line a task wrote to stdout or stderr, with its labels. */
export interface TaskLogLine {
  readonly taskId: string;
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly stream: 'stdout' | 'stderr';
  /** The line without its newline; invalid UTF-8 replaced, cut at the line limit. */
  readonly line: string;
  /** When the supervisor read it, ms since the epoch. */
  readonly timeMs: number;
}

/** The key of a task set. */
export interface TaskSetKey {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
}

/** Filters of `listTasks`; all optional, combined with AND. */
export interface TaskFilter {
  readonly environment?: string;
  readonly service?: string;
  readonly revision?: string;
  readonly states?: readonly TaskState[];
}

/** The event subject of a task. */
export function taskSubject(taskId: string): string {
  return `task/${taskId}`;
}

/** The event subject of a service in an environment. */
export function serviceSubject(environment: string, service: string): string {
  return `service/${environment}/${service}`;
}

/** Whether two keys name the same task set. */
export function sameTaskSet(a: TaskSetKey, b: TaskSetKey): boolean {
  return a.environment === b.environment && a.service === b.service && a.revision === b.revision;
}
