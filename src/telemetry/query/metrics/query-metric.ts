import type { Db } from '../../../core/index.js';
import { InputError } from '../../../shared/index.js';
import type { MetricKind, MetricTemporality } from '../../model/index.js';
import { matchesDimensions, type Dimensions } from '../../store/metric-dimensions.js';
import { fromFloat64Blob, MIN_TRUSTED_ORIGIN_CODE } from '../../store/write-metric-points.js';
import { accumulateSeries, periodStart, PeriodAccumulator, type StoredPoint } from './accumulate.js';
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

interface SeriesRow {
  id: number;
  kind: MetricKind;
  temporality: MetricTemporality | null;
  monotonic: number;
  dimensions: string;
}

type PointRow = [number, number | null, number | null, number | null, number | null, number | null, number | null, Uint8Array | null, Uint8Array | null];

function toPoint(r: PointRow): StoredPoint {
  return {
    timeMs: r[0],
    ...(r[1] !== null ? { startMs: r[1] } : {}),
    ...(r[2] !== null ? { value: r[2] } : {}),
    ...(r[3] !== null ? { count: r[3] } : {}),
    ...(r[4] !== null ? { sum: r[4] } : {}),
    ...(r[5] !== null ? { min: r[5] } : {}),
    ...(r[6] !== null ? { max: r[6] } : {}),
    ...(r[7] !== null && r[8] !== null ? { buckets: Array.from(fromFloat64Blob(r[7])), bounds: Array.from(fromFloat64Blob(r[8])) } : {}),
  };
}

const COLUMNS = 'time_ms, start_ms, value, count, sum, min, max, buckets, bounds';

/**
 * Runs a metric query: finds the series of `name` whose dimensions include
 * `dimensions`, turns their points into samples (see `accumulateSeries`), and
 * computes the statistic per period. Periods without data are left out. Only trusted
 * points count unless `includeAnonymous`.
 * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` for a bad statistic, period or window.
 */
export function queryMetric(db: Db, q: MetricQuery): MetricSeries {
  const stat = compileStatistic(q.stat);
  checkWindow(q.periodMs, q.startMs, q.endMs);
  const wanted: Dimensions = q.dimensions ?? {};
  const series = db
    .prepare<[string], SeriesRow>('SELECT id, kind, temporality, monotonic, dimensions FROM metric_series WHERE name = ?')
    .all(q.name)
    .filter((s) => matchesDimensions(JSON.parse(s.dimensions) as Dimensions, wanted));
  const minOrigin = q.includeAnonymous === true ? 0 : MIN_TRUSTED_ORIGIN_CODE;
  const points = db.prepare(`SELECT ${COLUMNS} FROM metric_points WHERE series_id = ? AND time_ms >= ? AND time_ms < ? AND origin >= ? ORDER BY time_ms`).raw(true);
  const before = db.prepare(`SELECT ${COLUMNS} FROM metric_points WHERE series_id = ? AND time_ms < ? AND origin >= ? ORDER BY time_ms DESC LIMIT 1`).raw(true);
  const samples = db.prepare('SELECT time_ms, value FROM metric_points WHERE series_id = ? AND time_ms >= ? AND time_ms < ? AND value IS NOT NULL AND origin >= ?').raw(true);
  const periods = new Map<number, PeriodAccumulator>();
  for (const s of series) {
    const info = { kind: s.kind, ...(s.temporality !== null ? { temporality: s.temporality } : {}), monotonic: s.monotonic === 1 };
    if (s.kind === 'Gauge' || (s.kind === 'Sum' && !(info.temporality === 'Cumulative' && info.monotonic))) {
      // Plain samples: read (time, value) from the covering index, no objects per point.
      for (const [t, v] of samples.all(s.id, q.startMs, q.endMs, minOrigin) as [number, number][]) {
        const k = periodStart(t, q.periodMs);
        let acc = periods.get(k);
        if (acc === undefined) periods.set(k, (acc = new PeriodAccumulator()));
        acc.samples.push(v);
      }
      continue;
    }
    const baselineRow = info.temporality === 'Cumulative' ? (before.get(s.id, q.startMs, minOrigin) as PointRow | undefined) : undefined;
    const rows = points.all(s.id, q.startMs, q.endMs, minOrigin) as PointRow[];
    accumulateSeries(info, baselineRow ? toPoint(baselineRow) : undefined, rows.map(toPoint), q.periodMs, q.startMs, periods);
  }
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const t of [...periods.keys()].sort((a, b) => a - b)) {
    const v = periods.get(t)?.statistic(stat);
    if (v === undefined || !Number.isFinite(v)) continue;
    timestamps.push(t);
    values.push(v);
  }
  return { timestamps, values };
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
