import type { ResolvedMetricQuery } from '../../../shared/index.js';
import type { MetricSeries } from './query-metric.js';
import type { MetricDataRequest, MetricDataResult } from './query-metric-data.js';

/** Runs several queries and expressions at once: `Telemetry.queryMetricData`. */
export type MetricDataReader = (req: MetricDataRequest) => MetricDataResult[];

/**
 * The series of a compiled metric query (one metric, or metrics and an expression) over a window,
 * through `queryMetricData`, so that alarms, the autoscaler and the API evaluate math the same way.
 * @throws InputError as `queryMetricData` does (an expression that cannot be evaluated).
 */
export function runMetricQuery(
  read: MetricDataReader,
  query: ResolvedMetricQuery,
  window: { readonly periodMs: number; readonly startMs: number; readonly endMs: number },
  options: { readonly includeAnonymous?: boolean } = {},
): MetricSeries {
  const queries = Object.entries(query.metrics).map(([id, m]) => ({ id, name: m.metric, dimensions: m.dimensions, stat: m.stat }));
  let resultId = queries[0]?.id ?? 'value';
  const expressions: { id: string; expression: string }[] = [];
  if (query.expression !== undefined) {
    resultId = 'result';
    while (query.metrics[resultId] !== undefined) resultId = `${resultId}_`;
    expressions.push({ id: resultId, expression: query.expression });
  }
  const results = read({ queries, expressions, ...window, includeAnonymous: options.includeAnonymous ?? false });
  const found = results.find((r) => r.id === resultId);
  return { timestamps: found?.timestamps ?? [], values: found?.values ?? [] };
}
