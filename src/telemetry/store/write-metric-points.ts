import type { Db } from '../../core/index.js';
import type { ExponentialHistogramValue, HistogramValue, MetricOrigin, MetricPoint } from '../model/index.js';
import { float64Blob } from './float64-blob.js';
import { dimensionsKey, dimensionsOf } from './metric-dimensions.js';
import { createMetricRollupWriter } from './write-metric-rollups.js';

/** Origins as stored (`metric_points.origin`, `metric_series.origin`): higher is more trusted. */
export const ORIGIN_CODES: Readonly<Record<MetricOrigin, number>> = { Anonymous: 0, Authenticated: 1, Internal: 2 };

/** The lowest stored origin a trusted read accepts. */
export const MIN_TRUSTED_ORIGIN_CODE = ORIGIN_CODES.Authenticated;

/** Writes metric points; call inside a transaction. */
export type MetricPointWriter = (points: readonly MetricPoint[]) => void;

/**
 * An exponential histogram as explicit buckets: the zero bucket and negative values
 * fold into the first bucket `(-inf, base^offset]`, each positive bucket keeps its
 * exact bounds, and a trailing empty bucket keeps the last upper bound.
 */
export function explicitFromExponential(h: ExponentialHistogramValue): HistogramValue {
  const base = 2 ** (2 ** -h.scale);
  const negatives = h.negative.bucketCounts.reduce((a, b) => a + b, 0);
  const counts = [negatives + h.zeroCount, ...h.positive.bucketCounts, 0];
  const bounds = Array.from({ length: h.positive.bucketCounts.length + 1 }, (_, i) => base ** (h.positive.offset + i));
  return {
    count: h.count,
    ...(h.sum !== undefined ? { sum: h.sum } : {}),
    ...(h.min !== undefined ? { min: h.min } : {}),
    ...(h.max !== undefined ? { max: h.max } : {}),
    bucketCounts: counts,
    explicitBounds: bounds,
  };
}

interface SeriesRef {
  readonly id: number;
  readonly origin: number;
}

/**
 * Prepares the statements that store metric points. Series ids are cached in
 * memory; a series is created on its first point. Points without a value
 * (staleness markers) are skipped. Each point keeps its origin (absent: anonymous).
 * A series' kind, temporality and unit belong to the most trusted origin that wrote to
 * it: an anonymous sender that creates a series first (say, as a gauge) cannot change how
 * the router's cumulative points in it are read, because the router's first point takes
 * the series over. Every value also goes into its minute's rollup (`metric_rollups`), in the
 * same transaction, so a statistic over whole minutes reads one row per series and minute.
 */
export function createMetricPointWriter(db: Db): MetricPointWriter {
  const findSeries = db.prepare<[string, string], SeriesRef>('SELECT id, origin FROM metric_series WHERE name = ? AND dimensions = ?');
  const insertSeries = db.prepare(
    'INSERT INTO metric_series (name, service, kind, temporality, monotonic, unit, dimensions, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const takeOverSeries = db.prepare('UPDATE metric_series SET service = ?, kind = ?, temporality = ?, monotonic = ?, unit = ?, origin = ? WHERE id = ?');
  const insertPoint = db.prepare(
    'INSERT INTO metric_points (series_id, time_ms, start_ms, value, count, sum, min, max, buckets, bounds, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const rollups = createMetricRollupWriter(db);
  const cache = new Map<string, SeriesRef>();
  const seriesId = (p: MetricPoint, origin: number): number => {
    const dims = dimensionsKey(dimensionsOf(p));
    const cacheKey = `${p.name}\u0000${dims}`;
    let ref = cache.get(cacheKey) ?? findSeries.get(p.name, dims);
    const meta = [p.service, p.kind, p.temporality ?? null, p.monotonic === true ? 1 : 0, p.unit] as const;
    if (ref === undefined) ref = { id: Number(insertSeries.run(p.name, ...meta, dims, origin).lastInsertRowid), origin };
    else if (origin > ref.origin) {
      takeOverSeries.run(...meta, origin, ref.id);
      ref = { id: ref.id, origin };
    }
    cache.set(cacheKey, ref);
    return ref.id;
  };
  return (points) => {
    for (const p of points) {
      if (p.noRecordedValue === true) continue;
      const origin = ORIGIN_CODES[p.origin ?? 'Anonymous'];
      const h = p.histogram ?? (p.exponentialHistogram ? explicitFromExponential(p.exponentialHistogram) : undefined);
      const count = h?.count ?? p.summary?.count ?? null;
      const sum = h?.sum ?? p.summary?.sum ?? null;
      const id = seriesId(p, origin);
      insertPoint.run(
        id, p.timeMs, p.startTimeMs ?? null, p.value ?? null, count, sum, h?.min ?? null, h?.max ?? null,
        h ? float64Blob(h.bucketCounts) : null, h ? float64Blob(h.explicitBounds) : null, origin,
      );
      if (p.value !== undefined) rollups.add(id, origin, p.timeMs, p.value);
    }
    rollups.flush();
  };
}
