import type { Clock, Db, EventLog, Logger, spawnProcess } from '../../core/index.js';
import type { BackoffPolicy } from '../backoff.js';
import type { TaskIdentity } from '../process/task-env.js';
import type { Task, TaskLogLine, TaskSetKey } from '../model.js';
import type { LogLineStore } from '../store/log-line-store.js';
import type { TaskSetStore } from '../store/task-set-store.js';
import type { TaskRecord, TaskStore } from '../store/task-store.js';
import type { SecretRedaction, TaskSecrets } from './task-secrets.js';

/** Variables a task gets at each start, from its identity and its spec's variables (see `SupervisorOptions.startEnv`). */
export type StartEnv = (task: TaskIdentity, specEnv: Readonly<Record<string, string>>) => Readonly<Record<string, string>>;

/** What the supervisor knows of a task's process beyond the database (lost on a crash, rebuilt by adoption). */
export interface LiveTask {
  /** Our child, when this control plane spawned it; undefined for adopted tasks. */
  child?: ReturnType<typeof spawnProcess>;
  /** Exit status, once the process has exited (known only for our own children). */
  exit?: { code: number | null; signal: string | null };
  probing: boolean;
  nextProbeAtMs: number;
}

/** The resolved options and shared state the supervisor's parts work with. */
export interface SupervisorContext {
  readonly db: Db;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tasks: TaskStore;
  readonly sets: TaskSetStore;
  readonly logLines: LogLineStore;
  readonly logsDir: string;
  readonly backoff: BackoffPolicy;
  readonly maxLogLinesPerTask: number;
  readonly maxLineBytes: number;
  readonly live: Map<string, LiveTask>;
  readonly onTaskHealthy?: (task: Task) => void | Promise<void>;
  readonly beforeTaskStop?: (task: Task) => Promise<void>;
  readonly onLogLine?: (line: TaskLogLine) => void;
  readonly startEnv?: StartEnv;
  /** Values of the secrets a spec pins, and their maskers. */
  readonly secrets?: TaskSecrets;
  /** Maskers by task set and pinned versions, and by task id (see `tailTaskLogs`). */
  readonly redactions: Map<string, SecretRedaction>;
  /** Whether the supervisor has let go of its tasks (closed without stopping them). */
  detached(): boolean;
  /** Reports an error of a background step into the logger and the event log; never throws. */
  report(where: string, err: unknown, taskId?: string): void;
}

/** Reasons a task ends that call for a replacement (as opposed to a stop that was asked for). */
export const FAILURE_REASONS = ['exited', 'exited-during-start', 'start-failed', 'unhealthy', 'dead-on-adoption'] as const;

/** The public view of a stored task. */
export function toTask(r: TaskRecord): Task {
  return {
    id: r.id,
    environment: r.environment,
    service: r.service,
    revision: r.revision,
    state: r.state,
    pid: r.pid,
    pgid: r.pgid,
    port: r.port,
    startedAtMs: r.startedAtMs,
    healthySinceMs: r.healthySinceMs,
    healthSuccesses: r.healthSuccesses,
    healthFailures: r.healthFailures,
    lastHealthError: r.lastHealthError,
    restarts: r.restarts,
    exitCode: r.exitCode,
    exitSignal: r.exitSignal,
    reason: r.reason,
    endedAtMs: r.endedAtMs,
    replacedBy: r.replacedBy,
  };
}

/** The labels every task event carries. */
export function taskEventData(t: Pick<TaskRecord, 'id' | 'environment' | 'service' | 'revision'>): { taskId: string; environment: string; service: string; revision: string } {
  return { taskId: t.id, environment: t.environment, service: t.service, revision: t.revision };
}

/** The key of the set a task belongs to. */
export function setKeyOf(t: TaskSetKey): TaskSetKey {
  return { environment: t.environment, service: t.service, revision: t.revision };
}
