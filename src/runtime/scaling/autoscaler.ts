import { systemClock, silentLogger, type Clock, type EventLog, type Logger } from '../../core/index.js';
import { serviceSubject, type Task, type TaskFilter, type TaskSetKey } from '../model.js';
import type { TaskSetStatus } from '../supervisor/supervisor.js';
import { ContainerCpuReader } from '../process/container-cpu.js';
import { CpuSampler } from './cpu-sampler.js';
import { decideScaling, type ScalingDecision } from './decide-scaling.js';

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
}

/** Creates an {@link Autoscaler}; call `start()` to run it on its interval. */
export function createAutoscaler(options: AutoscalerOptions): Autoscaler {
  return new Autoscaler(options);
}

/**
 * Target tracking for task sets with a `scaling` spec: each tick measures
 * every such set (average CPU of its Healthy tasks, requests per Healthy task
 * per minute over `requestWindowMs`), asks
 * {@link decideScaling}, applies a new count through the supervisor and
 * appends `service.scaled`. A set tracking two metrics takes the larger count
 * (scale out if either wants to, in only if both agree).
 */
export class Autoscaler {
  readonly #o: AutoscalerOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #cpu: CpuSampler;
  readonly #containerCpu: ContainerCpuReader;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: AutoscalerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? silentLogger).child('autoscaler');
    this.#cpu = options.cpuSampler ?? new CpuSampler();
    this.#containerCpu = options.containerCpu ?? new ContainerCpuReader();
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
  async tick(): Promise<void> {
    const sets = this.#o.supervisor.listTaskSets();
    const alive = new Set<number | string>();
    for (const set of sets) {
      try {
        const tasks = this.#o.supervisor.listTasks({ ...keyOf(set), states: ['Healthy'] });
        for (const t of tasks) {
          if (set.spec.container !== undefined) alive.add(t.id);
          else if (t.pgid !== null) alive.add(t.pgid);
        }
        if (!set.spec.scaling) continue;
        await this.#evaluate(set, tasks);
      } catch (err) {
        this.#logger.error('scaling failed', { error: err, service: set.service });
        try {
          this.#o.events.append({ type: 'service.scaling.failed', subject: serviceSubject(set.environment, set.service), data: { ...keyOf(set), error: (err as Error).message } });
        } catch {
          // Nothing more to do when the event log fails too.
        }
      }
    }
    this.#cpu.retain(alive);
    this.#containerCpu.retain(new Set([...alive].filter((k): k is string => typeof k === 'string')));
  }

  async #evaluate(set: TaskSetStatus, healthy: Task[]): Promise<void> {
    const scaling = set.spec.scaling!;
    const nowMs = this.#clock.now();
    const common = {
      currentCount: set.desiredCount,
      minCount: scaling.min,
      maxCount: scaling.max,
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
    const chosen = decisions.reduce((a, b) => (b.decision.desiredCount > a.decision.desiredCount ? b : a));
    if (chosen.decision.desiredCount === set.desiredCount) return;
    await this.#o.supervisor.scaleTaskSet(keyOf(set), chosen.decision.desiredCount);
    this.#o.events.append({
      type: 'service.scaled',
      subject: serviceSubject(set.environment, set.service),
      data: {
        ...keyOf(set),
        from: set.desiredCount,
        to: chosen.decision.desiredCount,
        metric: chosen.metric,
        measured: chosen.measured ?? null,
        target: chosen.target,
        reason: chosen.decision.reason,
      },
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
