import type { RequestCountSource } from '../runtime/index.js';
import type { MetricQuery, MetricSeries } from '../telemetry/index.js';

/** What {@link routerRequestCount} needs of telemetry. */
export interface MetricReader {
  queryMetric(q: MetricQuery): MetricSeries;
}

/**
 * The autoscaler's request counts, read where CloudWatch would hold them: the
 * `RequestCount` sums the router publishes into telemetry for the set's target group
 * (environment, service and revision dimensions), over the window as one period
 * (whole seconds, at least one). Undefined when the window has no data point.
 */
export function routerRequestCount(metrics: MetricReader): RequestCountSource {
  return (set, window) => {
    const endMs = Math.ceil(window.endMs);
    const periodMs = Math.max(1000, Math.round((endMs - window.startMs) / 1000) * 1000);
    const series = metrics.queryMetric({
      name: 'RequestCount',
      dimensions: { environment: set.environment, service: set.service, revision: set.revision },
      stat: 'Sum',
      periodMs,
      startMs: endMs - periodMs,
      endMs,
    });
    return series.values.length === 0 ? undefined : series.values.reduce((a, b) => a + b, 0);
  };
}
