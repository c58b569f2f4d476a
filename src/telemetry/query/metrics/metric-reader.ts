import type Database from 'better-sqlite3';
import type { Db } from '../../../core/index.js';
import type { MetricKind, MetricTemporality } from '../../model/index.js';
import { fromFloat64Blob } from '../../store/float64-blob.js';
import { matchesDimensions, type Dimensions } from '../../store/metric-dimensions.js';
import { MIN_TRUSTED_ORIGIN_CODE } from '../../store/write-metric-points.js';
import { ROLLUP_PERIOD_MS } from '../../store/write-metric-rollups.js';
import { accumulateSeries, periodStart, PeriodAccumulator, type StoredPoint } from './accumulate.js';
import type { MetricQuery, MetricSeries } from './query-metric.js';
import { compileStatistic, type CompiledStatistic } from './statistic.js';

/**
 * Percentiles of a period with at most this many samples are computed exactly from the points;
 * above it, a period covered by rollups reads their sketches (within 1 %).
 */
export const EXACT_PERCENTILE_MAX_SAMPLES = 1000;

interface SeriesRow {
  id: number;
  kind: MetricKind;
  temporality: MetricTemporality | null;
  monotonic: number;
}

type PointRow = [number, number | null, number | null, number | null, number | null, number | null, number | null, Uint8Array | null, Uint8Array | null];
type RollupRow = [number, number, number, number, number, Uint8Array?];

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

type Statement = Database.Statement<unknown[]>;

const COLUMNS = 'time_ms, start_ms, value, count, sum, min, max, buckets, bounds';

/** Gauges and sums other than cumulative monotonic ones: every value is a sample (and rolled up). */
function isSampleSeries(s: SeriesRow): boolean {
  return s.kind === 'Gauge' || (s.kind === 'Sum' && !(s.temporality === 'Cumulative' && s.monotonic === 1));
}

/** What a query reads; queries that agree on it share one read (their statistics differ). */
function readKey(q: MetricQuery, stat: CompiledStatistic): string {
  const dims = Object.entries(q.dimensions ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const kind = stat.kind === 'percentile' ? 'percentile' : 'moments';
  return JSON.stringify([q.name, dims, q.periodMs, q.startMs, q.endMs, q.includeAnonymous === true, kind, kind === 'percentile' && q.exact === true]);
}

/** The window minus some periods: the intervals left to read from the points. */
function complement(startMs: number, endMs: number, periods: readonly number[], periodMs: number): [number, number][] {
  const out: [number, number][] = [];
  let cursor = startMs;
  for (const p of periods) {
    if (p > cursor) out.push([cursor, p]);
    cursor = Math.max(cursor, p + periodMs);
  }
  if (cursor < endMs) out.push([cursor, endMs]);
  return out;
}

const readers = new WeakMap<Db, MetricReader>();

/** The reader of a connection: its statements are prepared once and kept with the connection. */
export function metricReader(db: Db): MetricReader {
  let r = readers.get(db);
  if (r === undefined) readers.set(db, (r = new MetricReader(db)));
  return r;
}

/**
 * Reads metric statistics. Series of a metric are looked up once per call (a round of alarms
 * reads many queries of one metric); a series' dimensions are parsed once. Samples of whole
 * minutes come from `metric_rollups` when the period is a whole number of minutes; the edges of
 * the window, minutes before the rollups began, histograms and cumulative counters come from the
 * points. Percentiles use the rollups' sketches only for periods with more than
 * {@link EXACT_PERCENTILE_MAX_SAMPLES} samples (else, or with `exact`, they read every sample).
 */
export class MetricReader {
  readonly #series: Statement;
  readonly #points: Statement;
  readonly #before: Statement;
  readonly #samples: Statement;
  readonly #rollups: Statement;
  readonly #rollupSketches: Statement;
  readonly #rollupsFrom: Statement;
  readonly #dimensions = new Map<number, Dimensions>();

  constructor(db: Db) {
    this.#series = db.prepare('SELECT id, kind, temporality, monotonic, dimensions FROM metric_series WHERE name = ?');
    this.#points = db.prepare(`SELECT ${COLUMNS} FROM metric_points WHERE series_id = ? AND time_ms >= ? AND time_ms < ? AND origin >= ? ORDER BY time_ms`).raw(true);
    this.#before = db.prepare(`SELECT ${COLUMNS} FROM metric_points WHERE series_id = ? AND time_ms < ? AND origin >= ? ORDER BY time_ms DESC LIMIT 1`).raw(true);
    this.#samples = db.prepare('SELECT time_ms, value FROM metric_points WHERE series_id = ? AND time_ms >= ? AND time_ms < ? AND value IS NOT NULL AND origin >= ?').raw(true);
    const rollups = 'FROM metric_rollups WHERE series_id = ? AND minute_ms >= ? AND minute_ms < ? AND origin >= ?';
    this.#rollups = db.prepare(`SELECT minute_ms, count, sum, min, max ${rollups}`).raw(true);
    this.#rollupSketches = db.prepare(`SELECT minute_ms, count, sum, min, max, sketch ${rollups}`).raw(true);
    this.#rollupsFrom = db.prepare("SELECT value FROM telemetry_settings WHERE key = 'rollups_from_ms'");
  }

  /** Runs queries whose windows were checked; results in the same order. Queries reading the same samples share one read. */
  queryMany(queries: readonly MetricQuery[]): MetricSeries[] {
    const seriesByName = new Map<string, { row: SeriesRow; dims: Dimensions }[]>();
    const rollupsFromMs = (this.#rollupsFrom.get() as { value: number } | undefined)?.value ?? Infinity;
    const reads = new Map<string, Map<number, PeriodAccumulator>>();
    return queries.map((q) => {
      const stat = compileStatistic(q.stat);
      const key = readKey(q, stat);
      let periods = reads.get(key);
      if (periods === undefined) {
        let series = seriesByName.get(q.name);
        if (series === undefined) seriesByName.set(q.name, (series = this.#seriesOf(q.name)));
        const wanted: Dimensions = q.dimensions ?? {};
        const matching = series.filter((s) => matchesDimensions(s.dims, wanted)).map((s) => s.row);
        reads.set(key, (periods = this.#read(q, stat, matching, rollupsFromMs)));
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
    });
  }

  #seriesOf(name: string): { row: SeriesRow; dims: Dimensions }[] {
    return (this.#series.all(name) as (SeriesRow & { dimensions: string })[]).map(({ dimensions, ...row }) => {
      let dims = this.#dimensions.get(row.id);
      if (dims === undefined) this.#dimensions.set(row.id, (dims = JSON.parse(dimensions) as Dimensions));
      return { row, dims };
    });
  }

  #read(q: MetricQuery, stat: CompiledStatistic, series: readonly SeriesRow[], rollupsFromMs: number): Map<number, PeriodAccumulator> {
    const minOrigin = q.includeAnonymous === true ? 0 : MIN_TRUSTED_ORIGIN_CODE;
    const periods = new Map<number, PeriodAccumulator>();
    const at = (into: Map<number, PeriodAccumulator>, t: number): PeriodAccumulator => {
      const k = periodStart(t, q.periodMs);
      let acc = into.get(k);
      if (acc === undefined) into.set(k, (acc = new PeriodAccumulator()));
      return acc;
    };
    const samples = series.filter(isSampleSeries);
    const others = series.filter((s) => !isSampleSeries(s));
    const lo = Math.max(Math.ceil(q.startMs / ROLLUP_PERIOD_MS) * ROLLUP_PERIOD_MS, rollupsFromMs);
    const hi = Math.floor(q.endMs / ROLLUP_PERIOD_MS) * ROLLUP_PERIOD_MS;
    const rolls = q.periodMs % ROLLUP_PERIOD_MS === 0 && lo < hi && samples.length > 0;
    let raw: [number, number][] = [[q.startMs, q.endMs]];
    if (rolls && stat.kind !== 'percentile') {
      for (const s of samples) {
        for (const [m, count, sum, min, max] of this.#rollups.all(s.id, lo, hi, minOrigin) as RollupRow[]) at(periods, m).addRollup(count, sum, min, max);
      }
      raw = complement(q.startMs, q.endMs, [lo], hi - lo);
    } else if (rolls && others.length === 0 && q.exact !== true) {
      // A sketch only where it saves reading many samples; small periods stay exact.
      const rolled = new Map<number, PeriodAccumulator>();
      for (const s of samples) {
        for (const [m, count, sum, min, max, sketch] of this.#rollupSketches.all(s.id, lo, hi, minOrigin) as RollupRow[]) {
          at(rolled, m).addRollup(count, sum, min, max, sketch);
        }
      }
      const whole = [...rolled]
        .filter(([p, acc]) => p >= lo && p + q.periodMs <= hi && acc.rolledCount > EXACT_PERCENTILE_MAX_SAMPLES)
        .sort(([a], [b]) => a - b);
      for (const [p, acc] of whole) periods.set(p, acc);
      raw = complement(q.startMs, q.endMs, whole.map(([p]) => p), q.periodMs);
    }
    for (const s of samples) {
      for (const [from, to] of raw) {
        // Plain samples: read (time, value) from the covering index, no objects per point.
        for (const [t, v] of this.#samples.all(s.id, from, to, minOrigin) as [number, number][]) at(periods, t).samples.push(v);
      }
    }
    for (const s of others) {
      const info = { kind: s.kind, ...(s.temporality !== null ? { temporality: s.temporality } : {}), monotonic: s.monotonic === 1 };
      const baselineRow = info.temporality === 'Cumulative' ? (this.#before.get(s.id, q.startMs, minOrigin) as PointRow | undefined) : undefined;
      const rows = this.#points.all(s.id, q.startMs, q.endMs, minOrigin) as PointRow[];
      accumulateSeries(info, baselineRow ? toPoint(baselineRow) : undefined, rows.map(toPoint), q.periodMs, q.startMs, periods);
    }
    return periods;
  }
}
