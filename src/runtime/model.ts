import type { ResolvedHealthCheck, ResolvedScaling } from '../shared/index.js';

/** Lifecycle states of a task; the same words in the API, the database and the UI. */
export type TaskState = 'Starting' | 'Healthy' | 'Unhealthy' | 'Stopping' | 'Stopped' | 'Failed';

/** States in which a task counts towards its set's desired count. */
export const ACTIVE_TASK_STATES: readonly TaskState[] = ['Starting', 'Healthy'];

/** States of a task that runs and is not being stopped (its process must be alive). */
export const RUNNING_TASK_STATES: readonly TaskState[] = ['Starting', 'Healthy', 'Unhealthy'];

/** States of a task that has not ended yet: its process may still run, its port is taken. */
export const LIVE_TASK_STATES: readonly TaskState[] = ['Starting', 'Healthy', 'Unhealthy', 'Stopping'];

/** States a task never leaves. */
export const TERMINAL_TASK_STATES: readonly TaskState[] = ['Stopped', 'Failed'];

/**
 * How the supervisor health-checks each task of a set (an HTTP GET on loopback; a 2xx or 3xx
 * answer is a success): the service's compiled health check, where its defaults are filled in.
 */
export type HealthCheckSpec = ResolvedHealthCheck;

/**
 * Target tracking of a task set; the Autoscaler acts on sets that have one. The service's
 * compiled scaling (min/max and cooldowns from the app model), with at least one target, schedule or alarm action.
 */
export interface ScalingSpec extends Pick<ResolvedScaling, 'min' | 'max' | 'scaleInCooldownMs' | 'scaleOutCooldownMs'> {
  /** Average CPU of the set's tasks to track, in percent of one core. */
  readonly targetCpuPercent?: number;
  /** Requests per Healthy task per minute to track (counted by the Autoscaler's `requestCount` source). */
  readonly targetRequestsPerTask?: number;
  /** Target tracking on metric queries (read through the Autoscaler's `metricQuery` source). @default [] */
  readonly targets?: ResolvedScaling['targets'];
  /** Scheduled changes of min/max. @default [] */
  readonly schedules?: ResolvedScaling['schedules'];
  /** Alarms whose `scale` actions change the set's count. @default [] */
  readonly scaledByAlarms?: ResolvedScaling['scaledByAlarms'];
}

/** The container engine a container task set runs with, as image detection compiled it. */
export interface ContainerEngineSpec {
  /** The engine's command, e.g. `/usr/bin/podman`. */
  readonly command: string;
  /** Arguments before the subcommand, e.g. `['--runtime', 'runc']`. */
  readonly globalArgs: readonly string[];
  /** Arguments `run` needs on this machine, e.g. pinned ulimits. */
  readonly runArgs: readonly string[];
}

/**
 * How a task set runs as containers instead of processes: each task is `<engine> run` of the image
 * with host networking, kept attached (so it is a process group the supervisor watches like any
 * other, and its output goes to the task's log files), labelled with its identity.
 */
export interface ContainerSpec {
  /** The image, by digest where possible (`127.0.0.1:5000/shop/web@sha256:…`). */
  readonly image: string;
  readonly engine: ContainerEngineSpec;
  /** The app's name, for the `io.slipway.app` label. @default no label */
  readonly app?: string;
  /** CPU limit in cores (`--cpus`). @default none */
  readonly cpus?: number;
  /** Memory limit in MiB (`--memory`). @default none */
  readonly memoryMiB?: number;
  /**
   * The service's limits this engine cannot apply here (so `cpus` / `memoryMiB` leave them out),
   * and why; reported in the status and by a `service.limits.not_applied` event. @default every limit applies
   */
  readonly unappliedLimits?: UnappliedLimits;
}

/** Limits a container service asks for that the engine cannot apply on this machine. */
export interface UnappliedLimits {
  /** The CPU limit left out, in cores. @default none left out */
  readonly cpus?: number;
  /** The memory limit left out, in MiB. @default none left out */
  readonly memoryMiB?: number;
  /** What the engine said when the probe asked for the limit. */
  readonly reason: string;
}

/**
 * What to run: one revision of one service in one environment, and how many copies. Every field is
 * required — the runtime has no defaults of its own; specs are built from the compiled app model
 * (`ResolvedService`) and checked by `parseTaskSetSpec`.
 */
export interface TaskSetSpec {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  /** Shell command run through `/bin/sh -c`, e.g. `node server.js`. */
  readonly command: string;
  /** Working directory of the command. */
  readonly cwd: string;
  /** Variables merged onto the minimal base environment (PATH, HOME, NODE_*). */
  readonly env: Readonly<Record<string, string>>;
  /** How many tasks should run. */
  readonly desiredCount: number;
  /** Name of the variable that carries the task's port. */
  readonly portEnv: string;
  readonly health: HealthCheckSpec;
  /** Time between deregistration and SIGTERM, so in-flight requests finish. */
  readonly drainMs: number;
  /** Time between SIGTERM and SIGKILL. */
  readonly stopTimeoutMs: number;
  /** Target tracking; without it the set keeps `desiredCount`. */
  readonly scaling?: ScalingSpec;
  /**
   * Secrets each task gets as environment variables of the same name, pinned to a version
   * (`{ PAYMENT_API_KEY: 3 }`). Only names and versions are stored; the values are read from the
   * secret store at each start (see `SupervisorOptions.secrets`). @default {}
   */
  readonly secrets?: Readonly<Record<string, number>>;
  /** Run each task as a container of this image; `command` and `cwd` are then only shown. @default processes */
  readonly container?: ContainerSpec;
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
  /** Consecutive health check successes (counted up to the healthy threshold) and failures. */
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
