import type { RouterMetricsSnapshot } from '../../router/index.js';
import type { CounterSample, Measurements, RevisionMeasurement } from '../model.js';

/** Cumulative counters of each revision of one service in a router snapshot. */
export function counterSamples(snapshot: RouterMetricsSnapshot, environment: string, service: string): Record<string, CounterSample> {
  const out: Record<string, CounterSample> = {};
  for (const g of snapshot.targetGroups) {
    if (g.dimensions.environment !== environment || g.dimensions.service !== service || g.dimensions.revision === '') continue;
    out[g.dimensions.revision] = { requestCount: g.RequestCount - g.MirroredRequestCount, target5xxCount: g.HTTPCode_Target_5XX_Count, elb5xxCount: g.HTTPCode_ELB_5XX_Count };
  }
  return out;
}

function delta(now: CounterSample | undefined, before: CounterSample | undefined): CounterSample {
  const n = now ?? { requestCount: 0, target5xxCount: 0, elb5xxCount: 0 };
  // Counters that went down mean the router restarted: count from zero.
  const b = before && before.requestCount <= n.requestCount ? before : { requestCount: 0, target5xxCount: 0, elb5xxCount: 0 };
  return { requestCount: n.requestCount - b.requestCount, target5xxCount: n.target5xxCount - b.target5xxCount, elb5xxCount: n.elb5xxCount - b.elb5xxCount };
}

/**
 * Measurements of the new (canary) and old (stable) revision between two
 * snapshots: counter deltas, and the p99 the router computed over the window.
 */
export function measurementsBetween(
  before: Readonly<Record<string, CounterSample>>,
  snapshot: RouterMetricsSnapshot,
  target: { environment: string; service: string; canary: string; stable: string | null; windowMs: number },
): Measurements {
  const now = counterSamples(snapshot, target.environment, target.service);
  const p99 = (revision: string): number | null => {
    const g = snapshot.targetGroups.find((x) => x.dimensions.environment === target.environment && x.dimensions.service === target.service && x.dimensions.revision === revision);
    const s = g?.TargetResponseTime.window.p99Seconds;
    return s === null || s === undefined ? null : s * 1000;
  };
  const of = (revision: string): RevisionMeasurement => ({ ...delta(now[revision], before[revision]), p99Ms: p99(revision) });
  return { windowMs: target.windowMs, canary: of(target.canary), stable: target.stable === null ? undefined : of(target.stable) };
}
