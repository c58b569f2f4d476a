import { LatencyHistogram } from './histogram.js';

/** Dimensions of a target group's metrics, as on AWS/ApplicationELB plus slipway's own. */
export interface MetricDimensions {
  readonly environment: string;
  readonly service: string;
  /** Empty for answers the router made before choosing a group (no healthy target). */
  readonly revision: string;
  /** Empty for answers the router made before choosing a group. */
  readonly targetGroup: string;
}

/**
 * Cumulative counters of one target group. Plain fields, incremented on the
 * request path; snapshots are taken by the admin API.
 */
export class TargetGroupMetrics {
  requestCount = 0;
  /** Target answers by class: index 0 = 1XX … 4 = 5XX. */
  readonly targetStatusCounts = [0, 0, 0, 0, 0];
  elb502Count = 0;
  elb503Count = 0;
  elb504Count = 0;
  /** Requests copied to this group by a mirror rule (also counted in `requestCount`). */
  mirroredRequestCount = 0;
  healthyHostCount = 0;
  unhealthyHostCount = 0;
  readonly responseTime = new LatencyHistogram();

  /**
   * @param dimensions what the counters are of
   * @param createdAtMs when they started counting: the start time of their cumulative series, so the
   *   first scrape of a group created mid-run (a canary's new revision) counts whole.
   */
  constructor(
    readonly dimensions: MetricDimensions,
    readonly createdAtMs: number,
  ) {}

  /** Records a target's answer: its status and the time to its response headers. */
  recordTargetResponse(status: number, seconds: number, nowMs: number): void {
    const cls = (status / 100) | 0;
    if (cls >= 1 && cls <= 5) (this.targetStatusCounts[cls - 1] as number)++;
    this.responseTime.observe(seconds, nowMs);
  }

  /** Records an answer the router made itself (502, 503 or 504). */
  recordElbError(status: 502 | 503 | 504): void {
    if (status === 502) this.elb502Count++;
    else if (status === 503) this.elb503Count++;
    else this.elb504Count++;
  }
}

/** Counters of one listener. */
export class ListenerMetrics {
  /** Client connections open now. */
  activeConnectionCount = 0;
  /** Client connections accepted since start. */
  newConnectionCount = 0;
  /** Requests no rule matched (answered 404 by the router). */
  elb4xxCount = 0;

  constructor(
    readonly listenerId: string,
    readonly environment: string,
    readonly service: string,
    /** When the counters started (see {@link TargetGroupMetrics.createdAtMs}). */
    readonly createdAtMs: number,
  ) {}
}

/**
 * Holds every metrics object by its dimensions so counters stay cumulative
 * across routing-table swaps.
 */
export class MetricsRegistry {
  readonly #groups = new Map<string, TargetGroupMetrics>();
  readonly #listeners = new Map<string, ListenerMetrics>();
  readonly #now: () => number;

  /** @param now the clock creation times are read from */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The metrics of a target group, created on first use. */
  group(dimensions: MetricDimensions): TargetGroupMetrics {
    const key = `${dimensions.environment}\0${dimensions.service}\0${dimensions.targetGroup}\0${dimensions.revision}`;
    let m = this.#groups.get(key);
    if (m === undefined) {
      m = new TargetGroupMetrics({ ...dimensions }, this.#now());
      this.#groups.set(key, m);
    }
    return m;
  }

  /** The metrics of a listener, created on first use. */
  listener(listenerId: string, environment: string, service: string): ListenerMetrics {
    const key = `${listenerId}\0${environment}\0${service}`;
    let m = this.#listeners.get(key);
    if (m === undefined) {
      m = new ListenerMetrics(listenerId, environment, service, this.#now());
      this.#listeners.set(key, m);
    }
    return m;
  }

  /** Every target group's metrics, in creation order. */
  groups(): readonly TargetGroupMetrics[] {
    return [...this.#groups.values()];
  }

  /** Every listener's metrics, in creation order. */
  listeners(): readonly ListenerMetrics[] {
    return [...this.#listeners.values()];
  }
}
