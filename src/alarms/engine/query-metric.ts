import type { MetricQuery, MetricSeries } from '../../telemetry/index.js';

/**
 * The one thing the evaluator needs from telemetry: `Telemetry.queryMetric`, or a fake in tests.
 * May answer synchronously (the SQLite store does) or with a promise.
 */
export type QueryMetric = (q: MetricQuery) => MetricSeries | Promise<MetricSeries>;
