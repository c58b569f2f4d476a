import type { MetricPoint } from '../../telemetry/index.js';
import type { RouterMetricsSnapshot, TargetGroupMetricsSnapshot } from '../metrics/snapshot.js';

/** The ALB counters published as cumulative, monotonic sums. */
const COUNTERS = [
  'RequestCount',
  'HTTPCode_Target_2XX_Count',
  'HTTPCode_Target_3XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_Target_5XX_Count',
  'HTTPCode_ELB_5XX_Count',
  'HTTPCode_ELB_502_Count',
  'HTTPCode_ELB_503_Count',
  'HTTPCode_ELB_504_Count',
] as const satisfies readonly (keyof TargetGroupMetricsSnapshot)[];

/** The service name router metrics are stored under, like AWS's `AWS/ApplicationELB` namespace. */
export const ROUTER_METRICS_SERVICE = 'slipway-router';

/**
 * Turns a router metrics snapshot into telemetry points with the names and
 * units an Application Load Balancer publishes, dimensioned by environment,
 * service, revision and target group: counters as cumulative sums (the store
 * takes reset-aware deltas), `TargetResponseTime` as a cumulative histogram in
 * seconds, host counts as gauges. An alarm written against these names means
 * the same locally and on AWS.
 */
export function routerMetricPoints(snapshot: RouterMetricsSnapshot): MetricPoint[] {
  const points: MetricPoint[] = [];
  const resource = { 'service.name': ROUTER_METRICS_SERVICE };
  for (const g of snapshot.targetGroups) {
    const attributes = { environment: g.dimensions.environment, service: g.dimensions.service, revision: g.dimensions.revision, targetGroup: g.dimensions.targetGroup };
    const base = { description: '', service: ROUTER_METRICS_SERVICE, resource, attributes, timeMs: snapshot.timestampMs, startTimeMs: g.startedAtMs };
    for (const name of COUNTERS) {
      points.push({ ...base, name, unit: '{request}', kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: g[name] });
    }
    for (const name of ['HealthyHostCount', 'UnHealthyHostCount'] as const) {
      points.push({ ...base, name, unit: '{host}', kind: 'Gauge', value: g[name] });
    }
    const rt = g.TargetResponseTime;
    // The snapshot's buckets are cumulative (`le`); OTLP histograms count per bucket.
    const perBucket = rt.buckets.map((b, i) => b.count - (i === 0 ? 0 : rt.buckets[i - 1]!.count));
    points.push({
      ...base,
      name: 'TargetResponseTime',
      unit: 's',
      kind: 'Histogram',
      temporality: 'Cumulative',
      histogram: { count: rt.count, sum: rt.sumSeconds, bucketCounts: perBucket, explicitBounds: rt.buckets.filter((b) => b.le !== '+Inf').map((b) => b.le as number) },
    });
  }
  for (const l of snapshot.listeners) {
    const attributes = { environment: l.environment, service: l.service, listener: l.listener };
    const base = { description: '', service: ROUTER_METRICS_SERVICE, resource, attributes, timeMs: snapshot.timestampMs, startTimeMs: l.startedAtMs };
    points.push({ ...base, name: 'ActiveConnectionCount', unit: '{connection}', kind: 'Gauge', value: l.ActiveConnectionCount });
    points.push({ ...base, name: 'NewConnectionCount', unit: '{connection}', kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: l.NewConnectionCount });
    points.push({ ...base, name: 'HTTPCode_ELB_4XX_Count', unit: '{request}', kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: l.HTTPCode_ELB_4XX_Count });
  }
  return points;
}
