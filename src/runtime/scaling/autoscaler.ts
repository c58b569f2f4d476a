import { systemClock, silentLogger, type Clock, type EventLog, type Logger } from '../../core/index.js';
import { adjustedCount, selectStep, type EventPayloads, type ResolvedMetricQuery, type ResolvedScaleAction } from '../../shared/index.js';
import { serviceSubject, type Task, type TaskFilter, type TaskSetKey } from '../model.js';
import { memoryScalingState, type ScalingStateStore, type ScheduledBounds } from '../store/scaling-state-store.js';
import type { TaskSetStatus } from '../supervisor/supervisor.js';
import { ContainerCpuReader } from '../process/container-cpu.js';
import { CpuSampler } from './cpu-sampler.js';
import { decideScaling, type ScalingDecision } from './decide-scaling.js';
import { advanceSchedules, effectiveRange } from './scheduled-range.js';

/** What the Autoscaler needs of the supervisor. */
export interface ScalableTaskSets {
  listTaskSets(): TaskSetStatus[];
  listTasks(filter?: TaskFilter): Task[];
  scaleTaskSet(key: TaskSetKey, desiredCount: number): Promise<unknown>;
}

/** A window of time, ms since the epoch: `startMs` inclusive, `endMs` exclusive. */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The requests the router sent to a task set (its target group) in a window — ALB's
 * `RequestCount` for the revision; undefined when nothing was measured (no data points).
 */
export type RequestCountSource = (set: TaskSetKey, window: TimeWindow) => number | undefined;

/**
 * The values of a metric query over a window of whole periods (telemetry's `queryMetricData`):
 * one value per period with data, oldest first; empty when there is none.
 */
export type MetricQuerySource = (query: ResolvedMetricQuery, window: TimeWindow & { readonly periodMs: number }) => readonly number[];

/** A `scale` action of an alarm in ALARM, for {@link Autoscaler.runAlarmAction}. */
export interface AlarmScaleRequest {
  /** The alarm's name. */
  readonly alarm: string;
  /** The action's index in the alarm's `actions` (its policy's identity, with the alarm's name). */
  readonly index: number;
  readonly action: ResolvedScaleAction;
  /** The environment the alarm watches; undefined: every environment. */
  readonly alarmEnvironment: string | undefined;
  /** The metric's latest value (what breached) and the alarm's threshold. */
  readonly value: number;
  readonly threshold: number;
  /** The metric's label for the event (its name or expression). */
  readonly metric: string;
}

/** Options of {@link createAutoscaler}. */
export interface AutoscalerOptions {
  readonly supervisor: ScalableTaskSets;
  readonly events: EventLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Time between two evaluations. @default 15000 */
  readonly intervalMs?: number;
  /** Where request counts come from (the router's metrics in telemetry). @default none (sets tracking requests never scale on them) */
  readonly requestCount?: RequestCountSource;
  /**
   * The window requests per task are counted over, ending at each evaluation; the count is
   * given per minute whatever the window, as ALB's `RequestCountPerTarget` (1-minute sums).
   * @default 60000
   */
  readonly requestWindowMs?: number;
  /** Source of CPU measurements. @default a CpuSampler over /proc */
  readonly cpuSampler?: CpuSampler;
  /** Where the CPU time of container tasks is read. @default a ContainerCpuReader over the containers' cgroups */
  readonly containerCpu?: ContainerCpuReader;
  /** Where custom target metrics are read (telemetry). @default none (sets with `targets` never scale on them) */
  readonly metricQuery?: MetricQuerySource;
  /** Scheduled ranges and policy cooldowns. @default in memory (lost on restart) */
  readonly state?: ScalingStateStore;
}

/** Creates an {@link Autoscaler}; call `start()` to run it on its interval. */
export function createAutoscaler(options: AutoscalerOptions): Autoscaler {
  return new Autoscaler(options);
}

/**
 * Application Auto Scaling for task sets with a `scaling` spec. Each tick first runs the service's
 * scheduled actions that came due (their min/max become the range, persisted per environment and
 * service), then measures every set (average CPU of its Healthy tasks, requests per Healthy task per
 * minute over `requestWindowMs`, each custom target's metric query over its last full period), asks
 * {@link decideScaling} within the range, applies a new count through the supervisor and appends
 * `service.scaled`. A set tracking several metrics takes the largest count (scale out if any wants
 * to, in only if all agree). Alarms' `scale` actions come in through {@link Autoscaler.runAlarmAction}.
 */
export class Autoscaler {
  readonly #o: AutoscalerOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #cpu: CpuSampler;
  readonly #containerCpu: ContainerCpuReader;
  readonly #state: ScalingStateStore;
  // Ticks and alarm actions read a set's count and then change it: one at a time.
  #exclusive: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: AutoscalerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? silentLogger).child('autoscaler');
    this.#cpu = options.cpuSampler ?? new CpuSampler();
    this.#containerCpu = options.containerCpu ?? new ContainerCpuReader();
    this.#state = options.state ?? memoryScalingState();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#exclusive.then(fn);
    this.#exclusive = next.catch(() => undefined);
    return next;
  }

  /** Starts ticking every `intervalMs`. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.tick().finally(() => (this.#running = undefined));
    }, this.#o.intervalMs ?? 15_000);
    this.#timer.unref();
  }

  /** Stops ticking; resolves when a tick in progress is done. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Evaluates every scaled set once. Never throws: failures are logged and appended as `service.scaling.failed`. */
  tick(): Promise<void> {
    return this.#serial(() => this.#tick());
  }

  async #tick(): Promise<void> {
    const sets = this.#o.supervisor.listTaskSets();
    const alive = new Set<number | string>();
    const ranges = new Map<string, ScheduledBounds | undefined>();
    for (const set of sets) {
      try {
        const tasks = this.#o.supervisor.listTasks({ ...keyOf(set), states: ['Healthy'] });
        for (const t of tasks) {
          if (set.spec.container !== undefined) alive.add(t.id);
          else if (t.pgid !== null) alive.add(t.pgid);
        }
        if (!set.spec.scaling) continue;
        const id = JSON.stringify([set.environment, set.service]);
        if (!ranges.has(id)) ranges.set(id, this.#runSchedules(set));
        await this.#evaluate(set, tasks, ranges.get(id));
      } catch (err) {
        this.#failed(set, err);
      }
    }
    this.#cpu.retain(alive);
    this.#containerCpu.retain(new Set([...alive].filter((k): k is string => typeof k === 'string')));
  }

  #failed(set: TaskSetKey, err: unknown): void {
    this.#logger.error('scaling failed', { error: err, service: set.service });
    try {
      this.#o.events.append({ type: 'service.scaling.failed', subject: serviceSubject(set.environment, set.service), data: { ...keyOf(set), error: (err as Error).message } });
    } catch {
      // Nothing more to do when the event log fails too.
    }
  }

  /** Runs the scheduled actions of a set's service that came due; returns the range they set (undefined: the model's). */
  #runSchedules(set: TaskSetStatus): ScheduledBounds | undefined {
    const schedules = set.spec.scaling?.schedules ?? [];
    if (schedules.length === 0) return undefined;
    const previous = this.#state.bounds(set.environment, set.service);
    const { bounds, runs } = advanceSchedules(schedules, previous, this.#clock.now());
    if (bounds !== previous) this.#state.setBounds(set.environment, set.service, bounds);
    const last = runs[runs.length - 1];
    if (last !== undefined) {
      const range = effectiveRange(set.spec.scaling!, bounds);
      this.#logger.info('scheduled action ran', { environment: set.environment, service: set.service, schedule: last.name, ...range });
      this.#o.events.append({
        type: 'service.scaling.range.changed',
        subject: serviceSubject(set.environment, set.service),
        data: { environment: set.environment, service: set.service, schedule: last.name, scheduledAtMs: last.atMs, minTasks: range.min, maxTasks: range.max },
      });
    }
    return bounds;
  }

  /**
   * Runs an alarm's `scale` action (step scaling) on the sets of its service, as Application Auto
   * Scaling runs a step scaling policy each time its alarm is in ALARM: the step that
   * `value - threshold` falls in, within the range in force, at most once per the action's cooldown.
   * Never throws: failures are appended as `service.scaling.failed`.
   */
  runAlarmAction(req: AlarmScaleRequest): Promise<void> {
    return this.#serial(() => this.#runAlarmAction(req));
  }

  async #runAlarmAction(req: AlarmScaleRequest): Promise<void> {
    const { action } = req;
    const environment = action.environment ?? req.alarmEnvironment;
    const sets = this.#o.supervisor.listTaskSets().filter((s) => s.service === action.service && (environment === undefined || s.environment === environment) && s.spec.scaling && s.desiredCount > 0);
    const nowMs = this.#clock.now();
    const delta = req.value - req.threshold;
    const step = selectStep(action.steps, delta);
    if (step === undefined) return;
    for (const set of sets) {
      const policy = JSON.stringify([req.alarm, req.index, set.environment, set.service]);
      try {
        const last = this.#state.lastActivity(policy);
        if (last !== undefined && nowMs - last < action.cooldownMs) continue;
        const range = effectiveRange(set.spec.scaling!, (set.spec.scaling!.schedules ?? []).length > 0 ? this.#state.bounds(set.environment, set.service) : undefined);
        const wanted = adjustedCount(set.desiredCount, action.adjustmentType, step.adjustment, action.minAdjustmentMagnitude);
        const to = Math.min(Math.max(wanted, range.min), range.max);
        if (to === set.desiredCount) continue;
        const interval = `[${step.lowerBound ?? '-∞'}, ${step.upperBound ?? '∞'})`;
        const change = action.adjustmentType === 'ExactCapacity' ? `to ${step.adjustment}` : action.adjustmentType === 'PercentChangeInCapacity' ? `${step.adjustment >= 0 ? '+' : ''}${step.adjustment}%` : `${step.adjustment >= 0 ? '+' : ''}${step.adjustment}`;
        await this.#scale(set, to, {
          metric: req.metric,
          measured: req.value,
          target: req.threshold,
          reason: `alarm ${req.alarm} in ALARM: ${round(req.value)} is ${round(delta)} from the threshold, in step ${interval}: ${change}${to !== wanted ? ` (kept within ${range.min}..${range.max})` : ''}`,
          cause: 'alarm',
          alarm: req.alarm,
        });
        this.#state.recordActivity(policy, nowMs);
      } catch (err) {
        this.#failed(set, err);
      }
    }
  }

  async #evaluate(set: TaskSetStatus, healthy: Task[], bounds: ScheduledBounds | undefined): Promise<void> {
    const scaling = set.spec.scaling!;
    const nowMs = this.#clock.now();
    const range = effectiveRange(scaling, bounds);
    const common = {
      currentCount: set.desiredCount,
      minCount: range.min,
      maxCount: range.max,
      nowMs,
      lastScaleOutMs: set.lastScaleOutMs,
      lastScaleInMs: set.lastScaleInMs,
      scaleOutCooldownMs: scaling.scaleOutCooldownMs,
      scaleInCooldownMs: scaling.scaleInCooldownMs,
    };
    const decisions: { metric: string; measured: number | undefined; target: number; decision: ScalingDecision }[] = [];
    if (scaling.targetCpuPercent !== undefined) {
      const samples = (await this.#cpuSamples(set, healthy, nowMs)).filter((v): v is number => v !== undefined);
      const measured = samples.length > 0 ? samples.reduce((a, b) => a + b, 0) / samples.length : undefined;
      decisions.push({ metric: 'CPUUtilization', measured, target: scaling.targetCpuPercent, decision: decideScaling({ ...common, measured, target: scaling.targetCpuPercent }) });
    }
    if (scaling.targetRequestsPerTask !== undefined) {
      const measured = requestsPerTaskPerMinute(this.#o.requestCount, keyOf(set), healthy.length, nowMs, this.#o.requestWindowMs ?? 60_000);
      decisions.push({ metric: 'RequestCountPerTarget', measured, target: scaling.targetRequestsPerTask, decision: decideScaling({ ...common, measured, target: scaling.targetRequestsPerTask }) });
    }
    for (const t of scaling.targets ?? []) {
      const measured = this.#measureTarget(t.query, t.periodMs, nowMs);
      decisions.push({ metric: t.label, measured, target: t.target, decision: decideScaling({ ...common, measured, target: t.target }) });
    }
    const outOfRange = set.desiredCount < range.min || set.desiredCount > range.max;
    const bySchedule = outOfRange && bounds?.schedule !== undefined;
    // A set scaled only by schedules or alarms still follows its range; measured sets do too (decideScaling clamps first).
    const chosen =
      decisions.length === 0 || outOfRange
        ? { metric: bySchedule ? 'ScheduledAction' : 'TaskRange', measured: undefined, target: set.desiredCount < range.min ? range.min : range.max, decision: decideScaling({ ...common, measured: undefined, target: 1 }) }
        : decisions.reduce((a, b) => (b.decision.desiredCount > a.decision.desiredCount ? b : a));
    if (chosen.decision.desiredCount === set.desiredCount) return;
    await this.#scale(set, chosen.decision.desiredCount, {
      metric: chosen.metric,
      measured: chosen.measured ?? null,
      target: chosen.target,
      reason: bySchedule ? `scheduled action ${bounds.schedule}: ${chosen.decision.reason}` : chosen.decision.reason,
      cause: bySchedule ? 'schedule' : 'target-tracking',
      ...(bySchedule ? { schedule: bounds.schedule } : {}),
    });
  }

  /** CPU percent of each task: a process task's group from /proc, a container task's container from its cgroup. */
  async #cpuSamples(set: TaskSetStatus, healthy: Task[], nowMs: number): Promise<(number | undefined)[]> {
    const container = set.spec.container;
    if (container === undefined) return healthy.map((t) => (t.pgid === null ? undefined : this.#cpu.sample(t.pgid, nowMs)));
    const out: (number | undefined)[] = [];
    for (const t of healthy) out.push(this.#cpu.sampleCounter(t.id, await this.#containerCpu.cpuMs(container, t.id), nowMs));
    return out;
  }

  /** Changes a set's count through the supervisor, then appends `service.scaled` saying why. */
  async #scale(set: TaskSetStatus, to: number, why: Omit<EventPayloads['service.scaled'], 'environment' | 'service' | 'revision' | 'from' | 'to'>): Promise<void> {
    await this.#o.supervisor.scaleTaskSet(keyOf(set), to);
    this.#o.events.append({ type: 'service.scaled', subject: serviceSubject(set.environment, set.service), data: { ...keyOf(set), from: set.desiredCount, to, ...why } });
  }

  /** A custom target's value: its query's latest value over the last two full periods (undefined without data or a source). */
  #measureTarget(query: ResolvedMetricQuery, periodMs: number, nowMs: number): number | undefined {
    if (this.#o.metricQuery === undefined) return undefined;
    const endMs = Math.floor(nowMs / periodMs) * periodMs;
    const values = this.#o.metricQuery(query, { startMs: endMs - 2 * periodMs, endMs, periodMs });
    return values.length === 0 ? undefined : values[values.length - 1];
  }
}

/**
 * Requests per Healthy task per minute over the window that ends now: ALB's
 * `RequestCountPerTarget` (`RequestCount` of the target group / its healthy targets).
 * Undefined without a source, without data, or without a Healthy task to divide by.
 */
function requestsPerTaskPerMinute(source: RequestCountSource | undefined, set: TaskSetKey, healthyCount: number, nowMs: number, windowMs: number): number | undefined {
  if (source === undefined || healthyCount === 0) return undefined;
  const count = source(set, { startMs: nowMs - windowMs, endMs: nowMs });
  return count === undefined ? undefined : (count / healthyCount) * (60_000 / windowMs);
}

function keyOf(s: TaskSetKey): TaskSetKey {
  return { environment: s.environment, service: s.service, revision: s.revision };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
