import type { Db } from '../../../core/index.js';
import { InputError } from '../../../shared/index.js';
import type { MetricKind } from '../../model/index.js';
import type { Dimensions } from '../../store/metric-dimensions.js';
import { periodStart } from './accumulate.js';
import { metricReader } from './metric-reader.js';
import { compileStatistic } from './statistic.js';

/** One metric query, as CloudWatch's `GetMetricData` asks it. */
export interface MetricQuery {
  /** Metric name, e.g. `http.server.request.duration`. */
  readonly name: string;
  /** Dimensions every series must have (a subset match); `{}` aggregates all series. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** The statistic: `SampleCount`, `Sum`, `Average`, `Minimum`, `Maximum` or `pNN`. */
  readonly stat: string;
  /** Period length, ms, from 1 s to 1 h. */
  readonly periodMs: number;
  /** Window start (inclusive), ms since the epoch. */
  readonly startMs: number;
  /** Window end (exclusive), ms since the epoch. */
  readonly endMs: number;
  /**
   * Read anonymous points too (accepted under `telemetry.allowUnauthenticated`). Alarms,
   * analysis and incident impact never do; a graph may ask for them.
   * @default false: trusted points only (slipway's own and those sent with an ingest key)
   */
  readonly includeAnonymous?: boolean;
  /**
   * Compute percentiles from every sample, never from the rollups' sketches.
   * @default false: a period with more than 1 000 samples (`EXACT_PERCENTILE_MAX_SAMPLES`) of whole
   *   minutes reads its percentile from the rollups' sketches, within 1 % of the exact sample
   */
  readonly exact?: boolean;
}

/** A time series: one value per period that has data, oldest first. */
export interface MetricSeries {
  /** Period starts, ms since the epoch, aligned to the period. */
  readonly timestamps: number[];
  /** The statistic of each period. */
  readonly values: number[];
}

/** Shortest period: 1 s. */
export const MIN_PERIOD_MS = 1000;
/** Longest period: 1 h. */
export const MAX_PERIOD_MS = 3_600_000;
/** Most periods one query may span. */
export const MAX_PERIODS = 100_000;

function invalid(path: string, message: string): InputError {
  return new InputError('SLW_ERR_METRICS_QUERY_INVALID', `${path}: ${message}`, { issues: [{ path, message }] });
}

/** Checks the window and period of a query. @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` */
export function checkWindow(periodMs: number, startMs: number, endMs: number): void {
  if (!Number.isInteger(periodMs) || periodMs < MIN_PERIOD_MS || periodMs > MAX_PERIOD_MS) {
    throw invalid('periodMs', `${periodMs} is not a whole number of ms from ${MIN_PERIOD_MS} (1s) to ${MAX_PERIOD_MS} (1h)`);
  }
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
    throw invalid('endMs', `the window ${startMs}..${endMs} must be finite and end after it starts`);
  }
  if ((endMs - startMs) / periodMs > MAX_PERIODS) throw invalid('periodMs', `the window spans more than ${MAX_PERIODS} periods; use a longer period`);
}

/**
 * Runs a metric query: finds the series of `name` whose dimensions include
 * `dimensions`, turns their points into samples (see `accumulateSeries`), and
 * computes the statistic per period. Periods without data are left out. Only trusted
 * points count unless `includeAnonymous`.
 * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` for a bad statistic, period or window.
 */
export function queryMetric(db: Db, q: MetricQuery): MetricSeries {
  return queryMetrics(db, [q])[0] ?? { timestamps: [], values: [] };
}

/**
 * Runs several metric queries with statements prepared once per connection and each metric's
 * series looked up once; queries that read the same samples (metric, dimensions, period, window,
 * and percentile or not) share one read. Results in request order.
 * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` for a bad statistic, period or window (of any query).
 */
export function queryMetrics(db: Db, queries: readonly MetricQuery[]): MetricSeries[] {
  for (const q of queries) {
    compileStatistic(q.stat);
    checkWindow(q.periodMs, q.startMs, q.endMs);
  }
  return metricReader(db).queryMany(queries);
}

/** The period boundaries of a window: every period start from the window's first to its last. */
export function timeline(periodMs: number, startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let t = periodStart(startMs, periodMs); t < endMs; t += periodMs) out.push(t);
  return out;
}

/** A metric name with what has been seen of it. */
export interface MetricNameInfo {
  /** The name. */
  readonly name: string;
  /** Its data type. */
  readonly kind: MetricKind;
  /** Its unit. */
  readonly unit: string;
  /** Number of series (dimension combinations). */
  readonly series: number;
  /** Dimension keys seen, sorted. */
  readonly dimensionKeys: string[];
}

/** Every metric name with its dimension keys, sorted by name. */
export function listMetricNames(db: Db): MetricNameInfo[] {
  const rows = db.prepare<[], { name: string; kind: MetricKind; unit: string; dimensions: string }>('SELECT name, kind, unit, dimensions FROM metric_series ORDER BY name').all();
  const byName = new Map<string, { kind: MetricKind; unit: string; series: number; keys: Set<string> }>();
  for (const r of rows) {
    let e = byName.get(r.name);
    if (e === undefined) byName.set(r.name, (e = { kind: r.kind, unit: r.unit, series: 0, keys: new Set() }));
    e.series++;
    for (const k of Object.keys(JSON.parse(r.dimensions) as Dimensions)) e.keys.add(k);
  }
  return [...byName].map(([name, e]) => ({ name, kind: e.kind, unit: e.unit, series: e.series, dimensionKeys: [...e.keys].sort() }));
}
