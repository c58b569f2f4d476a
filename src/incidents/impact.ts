import type { MetricQuery, MetricSeries } from '../telemetry/index.js';
import type { Incident } from './model.js';

/** Where impact numbers come from: the telemetry facade's `queryMetric`, or a fake in tests. */
export interface MetricSource {
  /** CloudWatch-style statistic per period (see telemetry's `queryMetric`). */
  queryMetric(query: MetricQuery): MetricSeries;
}

/** An incident's impact, measured over `[startMs, endMs)`. */
export interface Impact {
  readonly startMs: number;
  /** The resolution, or now while unresolved. */
  readonly endMs: number;
  readonly durationMs: number;
  /** Whether the incident is still unresolved (the figures are so far). */
  readonly ongoing: boolean;
  /** Sum of `HTTPCode_Target_5XX_Count` of the service in its environment; null when not measurable. */
  readonly target5xxCount: number | null;
  /** Sum of `RequestCount` likewise; null when not measurable. */
  readonly requestCount: number | null;
  /** Why a figure is null, if one is. */
  readonly note?: string;
}

/** The metric impact numbers are read from (as on AWS/ApplicationELB). */
export const IMPACT_ERROR_METRIC = 'HTTPCode_Target_5XX_Count';

/**
 * Measures an incident's impact: its duration, and the 5xx answers and requests of its service (and
 * environment, when known) from the trigger to the resolution. Telemetry failures leave the figures null
 * with a note; they never fail the postmortem.
 */
export function measureImpact(incident: Incident, metrics: MetricSource | undefined, nowMs: number): Impact {
  const startMs = incident.triggeredAtMs;
  const endMs = Math.max(incident.resolvedAtMs ?? nowMs, startMs + 1);
  const base = { startMs, endMs, durationMs: endMs - startMs, ongoing: incident.resolvedAtMs === null };
  if (metrics === undefined) return { ...base, target5xxCount: null, requestCount: null, note: 'no telemetry source is connected' };
  if (incident.service === null) return { ...base, target5xxCount: null, requestCount: null, note: 'the incident names no service' };
  const dimensions = { service: incident.service, ...(incident.environment === null ? {} : { environment: incident.environment }) };
  // About 10 000 periods at most, whole seconds, within telemetry's 1 s – 1 h bounds.
  const periodMs = Math.min(3_600_000, Math.max(1000, Math.ceil((endMs - startMs) / 10_000 / 1000) * 1000));
  // Trusted points only: what the alarms saw, not what an anonymous sender claims.
  const sum = (name: string): number => metrics.queryMetric({ name, dimensions, stat: 'Sum', periodMs, startMs, endMs, includeAnonymous: false }).values.reduce((a, b) => a + b, 0);
  try {
    return { ...base, target5xxCount: sum(IMPACT_ERROR_METRIC), requestCount: sum('RequestCount') };
  } catch (err) {
    return { ...base, target5xxCount: null, requestCount: null, note: `telemetry could not be queried: ${(err as Error).message}` };
  }
}
