import fs from 'node:fs';
import path from 'node:path';
import { SerialQueue, systemClock, silentLogger, type Clock, type Db, type EventLog, type Logger } from '../../core/index.js';
import { InputError, NotFoundError, UnavailableError } from '../../shared/index.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { ACTIVE_TASK_STATES, LIVE_TASK_STATES, RUNNING_TASK_STATES, type Task, type TaskFilter, type TaskLogLine, type TaskSetKey, type TaskSetSpec } from '../model.js';
import { isTaskProcessAlive } from '../process/task-process.js';
import { LogLineStore, type LogTailQuery } from '../store/log-line-store.js';
import { TaskSetStore, type TaskSetRecord } from '../store/task-set-store.js';
import { TaskStore } from '../store/task-store.js';
import { adoptTasks } from './adopt-tasks.js';
import { startDueHealthChecks } from './check-health.js';
import { FAILURE_REASONS, setKeyOf, toTask, type LiveTask, type StartEnv, type SupervisorContext } from './context.js';
import { handleTaskExit } from './handle-exit.js';
import { resetStreaks } from './record-failure.js';
import { startTask } from './start-task.js';
import { stopTask, type StopTiming } from './stop-task.js';
import { tailTaskLogs } from './tail-task-logs.js';
import type { TaskSecrets } from './task-secrets.js';
import { parseTaskSetSpec } from '../task-set-spec.js';

/** Options of {@link createSupervisor}. */
export interface SupervisorOptions {
  /** The database, migrated with `runtimeMigrations` (and the event log's). */
  readonly db: Db;
  readonly events: EventLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** The data directory; task log files go to `<dataDir>/runtime/logs`. */
  readonly dataDir: string;
  /** Called when a task becomes Healthy (the caller registers it with the router). */
  readonly onTaskHealthy?: (task: Task) => void | Promise<void>;
  /** Awaited before a task is drained and signalled (the caller deregisters it from the router). */
  readonly beforeTaskStop?: (task: Task) => Promise<void>;
  /** Called with every line a task writes, after it is stored. */
  readonly onLogLine?: (line: TaskLogLine) => void;
  /**
   * Variables given to a task each time it starts, over its spec's (which it receives) and
   * never stored with the spec: the control plane puts the task's telemetry ingest key in
   * `OTEL_EXPORTER_OTLP_HEADERS` here. @default none
   */
  readonly startEnv?: StartEnv;
  /**
   * Values of the secrets a task set pins (`TaskSetSpec.secrets`), read at each start, and the
   * masker of its log lines. Without it a set that pins secrets cannot start tasks. @default none
   */
  readonly secrets?: TaskSecrets;
  /** Period of the supervision loop (liveness, due health checks, log tailing, reconciliation). @default 200 */
  readonly tickIntervalMs?: number;
  /** Restart backoff. @default DEFAULT_BACKOFF (1 s doubling to 30 s, reset after 30 s Healthy) */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Lines kept per task in `runtime_log_lines`. @default 1000 */
  readonly maxLogLinesPerTask?: number;
  /** Longer lines are cut into several. @default 16384 */
  readonly maxLineBytes?: number;
  /** Ended tasks kept per set (with their stored lines); older ones are deleted. @default 20 */
  readonly keepEndedTasks?: number;
}

/** A task set and how far it is from its desired count. */
export interface TaskSetStatus extends TaskSetKey {
  readonly spec: TaskSetSpec;
  readonly desiredCount: number;
  /** Starting and Healthy tasks. */
  readonly runningCount: number;
  readonly healthyCount: number;
  /** Failed tasks in a row. */
  readonly failureStreak: number;
  /** No task starts before this time (restart backoff); 0 when none pending. */
  readonly nextStartAtMs: number;
  readonly lastScaleOutMs: number | null;
  readonly lastScaleInMs: number | null;
}

/** Options of {@link Supervisor.close}. */
export interface CloseOptions {
  /** Stop every task gracefully (Ctrl-C) or leave them running for the next control plane to adopt. */
  readonly stopTasks: boolean;
}

/** Result of {@link Supervisor.adopt}. */
export interface AdoptionSummary {
  /** Tasks found alive and taken over. */
  readonly adopted: Task[];
  /** Tasks found dead; the reconciler replaces them as the desired counts say. */
  readonly dead: Task[];
}

// Only for a task whose set is gone (its spec, and so its timing, with it): nothing routes to it any
// more, so there is nothing to drain; it still gets the usual grace between SIGTERM and SIGKILL.
const ORPHAN_STOP_TIMING: StopTiming = { drainMs: 0, stopTimeoutMs: 10_000 };

/** Creates a {@link Supervisor}. Call `adopt()` first; it starts the supervision loop. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  return new Supervisor(options);
}

/**
 * The local counterpart of ECS services: runs task sets as process groups,
 * health-checks them, replaces failed tasks with backoff, scales them, and
 * re-adopts them after the control plane restarts. Its only memory is the
 * database; every background step catches its errors and reports them.
 */
export class Supervisor {
  readonly #ctx: SupervisorContext;
  readonly #tickIntervalMs: number;
  readonly #keepEndedTasks: number;
  readonly #stops = new Map<string, Promise<void>>();
  readonly #queue = new SerialQueue();
  #adoption: Promise<AdoptionSummary> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tickRunning: Promise<void> | undefined;
  #closing = false;
  #detached = false;
  #lastReport = { message: '', atMs: 0 };

  constructor(options: SupervisorOptions) {
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? silentLogger).child('runtime');
    this.#tickIntervalMs = options.tickIntervalMs ?? 200;
    this.#keepEndedTasks = options.keepEndedTasks ?? 20;
    this.#ctx = {
      db: options.db,
      events: options.events,
      clock,
      logger,
      tasks: new TaskStore(options.db),
      sets: new TaskSetStore(options.db),
      logLines: new LogLineStore(options.db),
      logsDir: path.join(path.resolve(options.dataDir), 'runtime', 'logs'),
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      maxLogLinesPerTask: options.maxLogLinesPerTask ?? 1000,
      maxLineBytes: options.maxLineBytes ?? 16_384,
      live: new Map<string, LiveTask>(),
      ...(options.onTaskHealthy ? { onTaskHealthy: options.onTaskHealthy } : {}),
      ...(options.beforeTaskStop ? { beforeTaskStop: options.beforeTaskStop } : {}),
      ...(options.onLogLine ? { onLogLine: options.onLogLine } : {}),
      ...(options.startEnv ? { startEnv: options.startEnv } : {}),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      redactions: new Map(),
      detached: () => this.#detached,
      report: (where, err, taskId) => this.#report(where, err, taskId),
    };
  }

  /**
   * Takes over the tasks a previous control plane left running (see
   * `adoptTasks`), then starts the supervision loop and reconciles every
   * persisted task set. Idempotent; the other methods call it when needed.
   */
  adopt(): Promise<AdoptionSummary> {
    this.#assertOpen();
    this.#adoption ??= this.#serial(async () => {
      const result = adoptTasks(this.#ctx);
      for (const t of result.toStop) {
        const reason = t.reason ?? 'unhealthy';
        this.#beginStop(t.id, reason, (FAILURE_REASONS as readonly string[]).includes(reason) ? 'Failed' : 'Stopped');
      }
      this.#scheduleTick();
      await this.#reconcileAll();
      return { adopted: result.adopted.map(toTask), dead: result.dead.map(toTask) };
    });
    return this.#adoption;
  }

  /**
   * Brings a task set to its desired count: starts what is missing (unless
   * the set is in restart backoff) and stops extras. Idempotent: calling it
   * twice starts nothing twice. When the spec has `scaling` and the set
   * exists, the current (autoscaled) count is kept, clamped to min/max.
   */
  async applyTaskSet(spec: TaskSetSpec): Promise<TaskSetStatus> {
    const compiled = parseTaskSetSpec(spec);
    await this.adopt();
    const existing = this.#ctx.sets.tryFind(compiled);
    let desired = compiled.desiredCount;
    if (compiled.scaling) {
      const base = existing ? existing.desiredCount : desired;
      desired = Math.min(Math.max(base, compiled.scaling.min), compiled.scaling.max);
    }
    this.#ctx.sets.upsert(compiled, desired, this.#ctx.clock.now());
    await this.#serial(() => this.#reconcileSet(compiled));
    return this.getTaskSet(compiled);
  }

  /** Sets the desired count of an existing set (the Autoscaler's way in) and reconciles it. */
  async scaleTaskSet(key: TaskSetKey, desiredCount: number): Promise<TaskSetStatus> {
    if (!Number.isInteger(desiredCount) || desiredCount < 0) {
      throw new InputError('SLW_ERR_RUNTIME_SPEC_INVALID', `desiredCount: must be an integer >= 0 (got ${desiredCount})`);
    }
    await this.adopt();
    const set = this.#getSet(key);
    const now = this.#ctx.clock.now();
    if (desiredCount !== set.desiredCount) {
      this.#ctx.sets.update(key, { desiredCount, ...(desiredCount > set.desiredCount ? { lastScaleOutMs: now } : { lastScaleInMs: now }) }, now);
    }
    await this.#serial(() => this.#reconcileSet(key));
    return this.getTaskSet(key);
  }

  /**
   * Stops one particular task gracefully and lowers its set's desired count by
   * one, in one step, so the reconciler does not start a replacement. Used to
   * retire the old task after its replacement is healthy (rolling replacement).
   * Resolves when the task has stopped.
   */
  async retireTask(id: string, reason = 'replaced'): Promise<void> {
    await this.adopt();
    const task = this.getTask(id);
    if (task.state === 'Stopped' || task.state === 'Failed') return;
    await this.#serial(async () => {
      const set = this.#getSet(task);
      if (task.state === 'Starting' || task.state === 'Healthy') {
        this.#ctx.sets.update(task, { desiredCount: Math.max(0, set.desiredCount - 1), lastScaleInMs: this.#ctx.clock.now() }, this.#ctx.clock.now());
      }
      this.#beginStop(id, reason, 'Stopped', set.spec);
    });
    await this.#stops.get(id);
  }

  /** Stops every task of a set gracefully and forgets the set. Resolves when they have stopped. */
  async stopTaskSet(environment: string, service: string, revision: string): Promise<void> {
    const key = { environment, service, revision };
    await this.adopt();
    const set = this.#getSet(key);
    this.#ctx.sets.update(key, { desiredCount: 0 }, this.#ctx.clock.now());
    await this.#serial(async () => {
      for (const t of this.#ctx.tasks.list({ ...key, states: LIVE_TASK_STATES })) {
        this.#beginStop(t.id, 'task-set-stopped', 'Stopped', set.spec);
      }
    });
    const ids = this.#ctx.tasks.list({ ...key }).map((t) => t.id);
    await Promise.all(ids.map((id) => this.#stops.get(id)));
    this.#ctx.sets.delete(key);
  }

  /** Every task set with its counts. */
  listTaskSets(): TaskSetStatus[] {
    return this.#ctx.sets.list().map((s) => this.#status(s));
  }

  /** One task set; throws `NotFoundError` when there is none. */
  getTaskSet(key: TaskSetKey): TaskSetStatus {
    return this.#status(this.#getSet(key));
  }

  /** Tasks matching the filter (all, by default, ended ones included), oldest first. */
  listTasks(filter: TaskFilter = {}): Task[] {
    return this.#ctx.tasks.list(filter).map(toTask);
  }

  /** One task; throws `NotFoundError` when there is none. */
  getTask(id: string): Task {
    const t = this.#ctx.tasks.tryFind(id);
    if (!t) throw new NotFoundError('SLW_ERR_RUNTIME_TASK_NOT_FOUND', `no task "${id}"`);
    return toTask(t);
  }

  /** The Healthy tasks of a set: what the router should send traffic to. */
  healthyTasks(environment: string, service: string, revision: string): Task[] {
    return this.listTasks({ environment, service, revision, states: ['Healthy'] });
  }

  /** The newest stored log lines (the last `maxLogLinesPerTask` of each task), oldest first. */
  tailLogs(query: LogTailQuery = {}): TaskLogLine[] {
    return this.#ctx.logLines.tail(query);
  }

  /**
   * Shuts the supervisor down. With `stopTasks` every task is stopped
   * gracefully first; without, the tasks keep running (and keep writing
   * their log files) for the next control plane to adopt.
   */
  async close(options: CloseOptions): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#timer);
    await this.#tickRunning;
    await this.#queue.idle();
    if (options.stopTasks) {
      for (const t of this.#ctx.tasks.list({ states: LIVE_TASK_STATES })) {
        this.#beginStop(t.id, t.state === 'Stopping' ? (t.reason ?? 'shutdown') : 'shutdown', 'Stopped');
      }
      await Promise.all([...this.#stops.values()]);
    }
    this.#detached = true;
    for (const live of this.#ctx.live.values()) live.child?.removeAllListeners('exit');
    this.#ctx.live.clear();
  }

  #scheduleTick(): void {
    if (this.#closing) return;
    this.#timer = setTimeout(() => {
      this.#tickRunning = this.#tick().finally(() => {
        this.#tickRunning = undefined;
        this.#scheduleTick();
      });
    }, this.#tickIntervalMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const step = (where: string, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        this.#report(where, err);
      }
    };
    step('liveness', () => this.#checkLiveness());
    step('health checks', () => startDueHealthChecks(this.#ctx, (id) => this.#beginStop(id, 'unhealthy', 'Failed')));
    step('log tailing', () => {
      for (const t of this.#ctx.tasks.list({ states: LIVE_TASK_STATES })) tailTaskLogs(this.#ctx, t, false);
    });
    step('backoff reset', () => resetStreaks(this.#ctx));
    if (this.#closing) return;
    try {
      await this.#serial(() => this.#reconcileAll());
    } catch (err) {
      this.#report('reconcile', err);
    }
  }

  /** Adopted tasks are not our children: their exits are noticed by polling. */
  #checkLiveness(): void {
    for (const t of this.#ctx.tasks.list({ states: RUNNING_TASK_STATES })) {
      const live = this.#ctx.live.get(t.id);
      if (!live || live.child || t.pid === null) continue;
      if (!isTaskProcessAlive(t.pid, t.procStartTicks)) handleTaskExit(this.#ctx, t.id, null, null, false);
    }
  }

  async #reconcileAll(): Promise<void> {
    for (const set of this.#ctx.sets.list()) {
      if (this.#closing) return;
      try {
        await this.#reconcileSet(set);
      } catch (err) {
        this.#report('reconcile', err);
      }
    }
  }

  /** Must run inside #serial, so two reconciliations never start the same missing task twice. */
  async #reconcileSet(key: TaskSetKey): Promise<void> {
    const first = this.#ctx.sets.tryFind(key);
    if (!first) return;
    const active = () => this.#ctx.tasks.list({ ...setKeyOf(key), states: ACTIVE_TASK_STATES });
    const running = active();
    if (running.length > first.desiredCount) {
      // Scale in the youngest first, those not yet Healthy before those serving traffic.
      const extras = [...running].sort((a, b) => (a.state === b.state ? b.startedAtMs - a.startedAtMs : a.state === 'Starting' ? -1 : 1));
      for (const t of extras.slice(0, running.length - first.desiredCount)) this.#beginStop(t.id, 'scaled-in', 'Stopped', first.spec);
    }
    for (let i = 0; i <= first.desiredCount; i++) {
      const set = this.#ctx.sets.tryFind(key);
      if (this.#closing || !set || active().length >= set.desiredCount || this.#ctx.clock.now() < set.nextStartAtMs) break;
      await startTask(this.#ctx, set, (id, code, signal) => this.#onChildExit(id, code, signal));
    }
    for (const id of this.#ctx.tasks.pruneEnded(first, this.#keepEndedTasks)) {
      this.#ctx.redactions.delete(id);
      for (const stream of ['stdout', 'stderr']) fs.rmSync(path.join(this.#ctx.logsDir, `${id}.${stream}.log`), { force: true });
    }
  }

  #onChildExit(id: string, code: number | null, signal: string | null): void {
    if (this.#detached) return;
    try {
      handleTaskExit(this.#ctx, id, code, signal, true);
    } catch (err) {
      this.#report('task exit', err, id);
    }
  }

  #beginStop(id: string, reason: string, finalState: 'Stopped' | 'Failed', timing?: StopTiming): void {
    if (this.#stops.has(id)) return;
    const task = this.#ctx.tasks.tryFind(id);
    const spec = timing ?? (task && this.#ctx.sets.tryFind(task)?.spec) ?? ORPHAN_STOP_TIMING;
    const p = stopTask(this.#ctx, id, reason, finalState, { drainMs: spec.drainMs, stopTimeoutMs: spec.stopTimeoutMs })
      .catch((err: unknown) => this.#report('stop', err, id))
      .finally(() => this.#stops.delete(id));
    this.#stops.set(id, p);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }

  #getSet(key: TaskSetKey): TaskSetRecord {
    const set = this.#ctx.sets.tryFind(key);
    if (!set) throw new NotFoundError('SLW_ERR_RUNTIME_TASK_SET_NOT_FOUND', `no task set ${key.environment}/${key.service}/${key.revision}`);
    return set;
  }

  #status(s: TaskSetRecord): TaskSetStatus {
    const tasks = this.#ctx.tasks.list({ ...setKeyOf(s), states: ACTIVE_TASK_STATES });
    return {
      ...setKeyOf(s),
      spec: s.spec,
      desiredCount: s.desiredCount,
      runningCount: tasks.length,
      healthyCount: tasks.filter((t) => t.state === 'Healthy').length,
      failureStreak: s.failureStreak,
      nextStartAtMs: s.nextStartAtMs,
      lastScaleOutMs: s.lastScaleOutMs,
      lastScaleInMs: s.lastScaleInMs,
    };
  }

  #assertOpen(): void {
    if (this.#closing) throw new UnavailableError('SLW_ERR_RUNTIME_CLOSED', 'the supervisor is shut down');
  }

  #report(where: string, err: unknown, taskId?: string): void {
    const message = err instanceof Error ? err.message : String(err);
    this.#ctx.logger.error(`runtime ${where} failed`, { error: err, ...(taskId ? { taskId } : {}) });
    const now = Date.now();
    // The same failure every tick would flood the log: report it once a minute.
    if (message === this.#lastReport.message && now - this.#lastReport.atMs < 60_000) return;
    this.#lastReport = { message, atMs: now };
    try {
      this.#ctx.events.append({ type: 'runtime.step.failed', subject: taskId ? `task/${taskId}` : 'runtime/supervisor', data: { step: where, error: message } });
    } catch {
      // The event log itself is failing; the logger line above is all we can do.
    }
  }
}
