import type { MetricQuery, MetricSeries } from '../telemetry/index.js';
import type { ImpactWindow } from './cause/impact-window.js';
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
  /** The span the figures cover, when it is not the incident's (from the causing change to the restore). */
  readonly counted?: ImpactWindow;
}

/** Where to count, when not the incident's own span and scope. */
export interface ImpactScope {
  readonly window: ImpactWindow;
  /** The service whose answers count. @default the incident's */
  readonly service: string | null;
  /** Its environment. @default the incident's */
  readonly environment: string | null;
}

/** The metric impact numbers are read from (as on AWS/ApplicationELB). */
export const IMPACT_ERROR_METRIC = 'HTTPCode_Target_5XX_Count';

/**
 * Measures an incident's impact: its duration, and the 5xx answers and requests of its service (and
 * environment, when known) from the trigger to the resolution — or, given a `scope`, over its window
 * (from the causing change to the restore) and for its service and environment. Telemetry failures leave
 * the figures null with a note; they never fail the postmortem.
 */
export function measureImpact(incident: Incident, metrics: MetricSource | undefined, nowMs: number, scope?: ImpactScope): Impact {
  const startMs = incident.triggeredAtMs;
  const endMs = Math.max(incident.resolvedAtMs ?? nowMs, startMs + 1);
  const base = { startMs, endMs, durationMs: endMs - startMs, ongoing: incident.resolvedAtMs === null, ...(scope === undefined ? {} : { counted: scope.window }) };
  if (metrics === undefined) return { ...base, target5xxCount: null, requestCount: null, note: 'no telemetry source is connected' };
  const service = scope?.service ?? incident.service;
  const environment = scope?.environment ?? incident.environment;
  if (service === null) return { ...base, target5xxCount: null, requestCount: null, note: 'the incident names no service' };
  return { ...base, ...countErrors(metrics, service, environment, scope?.window.startMs ?? startMs, scope?.window.endMs ?? endMs) };
}

/** Sums 5xx answers and requests of `service` (in `environment`) over `[startMs, endMs)`. */
function countErrors(metrics: MetricSource, service: string, environment: string | null, startMs: number, endMs: number): Pick<Impact, 'target5xxCount' | 'requestCount' | 'note'> {
  const dimensions = { service, ...(environment === null ? {} : { environment }) };
  // About 10 000 periods at most, whole seconds, within telemetry's 1 s – 1 h bounds.
  const periodMs = Math.min(3_600_000, Math.max(1000, Math.ceil((endMs - startMs) / 10_000 / 1000) * 1000));
  // Trusted points only: what the alarms saw, not what an anonymous sender claims.
  const sum = (name: string): number => metrics.queryMetric({ name, dimensions, stat: 'Sum', periodMs, startMs, endMs, includeAnonymous: false }).values.reduce((a, b) => a + b, 0);
  try {
    return { target5xxCount: sum(IMPACT_ERROR_METRIC), requestCount: sum('RequestCount') };
  } catch (err) {
    return { target5xxCount: null, requestCount: null, note: `telemetry could not be queried: ${(err as Error).message}` };
  }
}
