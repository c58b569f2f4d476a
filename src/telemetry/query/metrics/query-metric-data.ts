import type { Db } from '../../../core/index.js';
import { InputError, parseMathExpression } from '../../../shared/index.js';
import { evaluateMath } from './math-eval.js';
import { checkWindow, queryMetric, timeline, type MetricSeries } from './query-metric.js';

/** One named query of a {@link MetricDataRequest}. */
export interface NamedMetricQuery {
  /** Id expressions refer to, e.g. `errors`. */
  readonly id: string;
  /** Metric name. */
  readonly name: string;
  /** Dimensions (subset match). @default {} */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Statistic. */
  readonly stat: string;
}

/** One metric math expression of a {@link MetricDataRequest}. */
export interface NamedExpression {
  /** Id of the result. */
  readonly id: string;
  /** The expression, e.g. `errors / requests * 100`. */
  readonly expression: string;
}

/** Several queries and expressions over one window (CloudWatch `GetMetricData`). */
export interface MetricDataRequest {
  /** The queries. */
  readonly queries: readonly NamedMetricQuery[];
  /** Expressions over the queries and earlier expressions. @default [] */
  readonly expressions?: readonly NamedExpression[];
  /** Period, ms. */
  readonly periodMs: number;
  /** Window start, ms (inclusive). */
  readonly startMs: number;
  /** Window end, ms (exclusive). */
  readonly endMs: number;
  /** Read anonymous points too (see `MetricQuery.includeAnonymous`). @default false */
  readonly includeAnonymous?: boolean;
}

/** One result of a {@link MetricDataRequest}. */
export interface MetricDataResult extends MetricSeries {
  /** The query's or expression's id. */
  readonly id: string;
}

const ID = /^[a-z][A-Za-z0-9_]*$/;

/**
 * Runs the queries, then the expressions in order (each may use the queries and
 * the expressions before it). Results come back in request order.
 * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` (bad id, duplicate id, bad query),
 *   `SLW_ERR_METRICS_MATH_SYNTAX` or `SLW_ERR_METRICS_MATH_INVALID`.
 */
export function queryMetricData(db: Db, req: MetricDataRequest): MetricDataResult[] {
  checkWindow(req.periodMs, req.startMs, req.endMs);
  const results = new Map<string, MetricSeries>();
  const all = [...req.queries.map((q) => q.id), ...(req.expressions ?? []).map((e) => e.id)];
  all.forEach((id, i) => {
    const message = !ID.test(id) ? `"${id}" must start with a lowercase letter and hold letters, digits or _` : all.indexOf(id) !== i ? `"${id}" is used twice` : undefined;
    if (message !== undefined) throw new InputError('SLW_ERR_METRICS_QUERY_INVALID', `id: ${message}`, { issues: [{ path: `id`, message }] });
  });
  for (const q of req.queries) {
    results.set(q.id, queryMetric(db, { name: q.name, dimensions: q.dimensions ?? {}, stat: q.stat, periodMs: req.periodMs, startMs: req.startMs, endMs: req.endMs, includeAnonymous: req.includeAnonymous }));
  }
  const line = timeline(req.periodMs, req.startMs, req.endMs);
  for (const e of req.expressions ?? []) {
    results.set(e.id, evaluateMath(parseMathExpression(e.expression), { timeline: line, results }));
  }
  return all.map((id) => ({ id, ...(results.get(id) ?? { timestamps: [], values: [] }) }));
}
