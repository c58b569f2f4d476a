import { RESPONSE_TIME_BUCKETS_SECONDS, type WindowPercentiles } from './histogram.js';
import type { MetricDimensions, MetricsRegistry } from './target-group-metrics.js';

/** Cumulative metrics of one target group, under ALB names. */
export interface TargetGroupMetricsSnapshot {
  readonly dimensions: MetricDimensions;
  /** When this group's counters started: the router's start, or later for a group created since. */
  readonly startedAtMs: number;
  readonly RequestCount: number;
  readonly HTTPCode_Target_2XX_Count: number;
  readonly HTTPCode_Target_3XX_Count: number;
  readonly HTTPCode_Target_4XX_Count: number;
  readonly HTTPCode_Target_5XX_Count: number;
  readonly HTTPCode_ELB_5XX_Count: number;
  readonly HTTPCode_ELB_502_Count: number;
  readonly HTTPCode_ELB_503_Count: number;
  readonly HTTPCode_ELB_504_Count: number;
  readonly MirroredRequestCount: number;
  readonly HealthyHostCount: number;
  readonly UnHealthyHostCount: number;
  readonly TargetResponseTime: {
    /** Cumulative counts per upper bound in seconds (`le`), the last one `+Inf`. */
    readonly buckets: readonly { readonly le: number | '+Inf'; readonly count: number }[];
    readonly sumSeconds: number;
    readonly count: number;
    /** Exact percentiles of the recent window. */
    readonly window: WindowPercentiles & { readonly windowMs: number };
  };
}

/** Cumulative metrics of one listener. */
export interface ListenerMetricsSnapshot {
  readonly listener: string;
  readonly environment: string;
  /** Empty for ingress listeners. */
  readonly service: string;
  /** When this listener's counters started. */
  readonly startedAtMs: number;
  readonly ActiveConnectionCount: number;
  readonly NewConnectionCount: number;
  readonly HTTPCode_ELB_4XX_Count: number;
}

/** Everything `GET /admin/metrics` returns; counters are cumulative since their group or listener was created. */
export interface RouterMetricsSnapshot {
  readonly timestampMs: number;
  /** When the counters started (the router's start); a change means counters were reset. */
  readonly startedAtMs: number;
  readonly targetGroups: readonly TargetGroupMetricsSnapshot[];
  readonly listeners: readonly ListenerMetricsSnapshot[];
}

/** Takes a snapshot of every metric; percentiles cover the last `windowMs`. */
export function snapshotMetrics(registry: MetricsRegistry, nowMs: number, startedAtMs: number, windowMs: number): RouterMetricsSnapshot {
  const targetGroups = registry.groups().map((m): TargetGroupMetricsSnapshot => {
    const h = m.responseTime;
    let cumulative = 0;
    const buckets = [...RESPONSE_TIME_BUCKETS_SECONDS, '+Inf' as const].map((le, i) => ({ le, count: (cumulative += h.bucketCounts[i] as number) }));
    const [, c2, c3, c4, c5] = m.targetStatusCounts as [number, number, number, number, number];
    return {
      dimensions: m.dimensions,
      startedAtMs: Math.max(startedAtMs, m.createdAtMs),
      RequestCount: m.requestCount,
      HTTPCode_Target_2XX_Count: c2,
      HTTPCode_Target_3XX_Count: c3,
      HTTPCode_Target_4XX_Count: c4,
      HTTPCode_Target_5XX_Count: c5,
      HTTPCode_ELB_5XX_Count: m.elb502Count + m.elb503Count + m.elb504Count,
      HTTPCode_ELB_502_Count: m.elb502Count,
      HTTPCode_ELB_503_Count: m.elb503Count,
      HTTPCode_ELB_504_Count: m.elb504Count,
      MirroredRequestCount: m.mirroredRequestCount,
      HealthyHostCount: m.healthyHostCount,
      UnHealthyHostCount: m.unhealthyHostCount,
      TargetResponseTime: { buckets, sumSeconds: h.sumSeconds, count: h.count, window: { ...h.percentiles(nowMs - windowMs), windowMs } },
    };
  });
  const listeners = registry.listeners().map((l) => ({
    listener: l.listenerId,
    environment: l.environment,
    service: l.service,
    startedAtMs: Math.max(startedAtMs, l.createdAtMs),
    ActiveConnectionCount: l.activeConnectionCount,
    NewConnectionCount: l.newConnectionCount,
    HTTPCode_ELB_4XX_Count: l.elb4xxCount,
  }));
  return { timestampMs: nowMs, startedAtMs, targetGroups, listeners };
}
