import type { MetricQuery, MetricSeries } from '../../telemetry/index.js';

/**
 * The one thing the evaluator needs from telemetry: `Telemetry.queryMetric`, or a fake in tests.
 * May answer synchronously (the SQLite store does) or with a promise.
 */
export type QueryMetric = (q: MetricQuery) => MetricSeries | Promise<MetricSeries>;

/**
 * Several queries in one call (telemetry's `queryMetrics`): a round of alarms asks this once, so
 * statements and series lookups are shared. Results in request order; throws when any query is invalid.
 */
export type QueryMetrics = (queries: readonly MetricQuery[]) => MetricSeries[] | Promise<MetricSeries[]>;
