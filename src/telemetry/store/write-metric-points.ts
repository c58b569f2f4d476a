import type { Db } from '../../core/index.js';
import type { ExponentialHistogramValue, HistogramValue, MetricPoint } from '../model/index.js';
import { dimensionsKey, dimensionsOf } from './metric-dimensions.js';

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

/**
 * Prepares the statements that store metric points. Series ids are cached in
 * memory; a series is created on its first point. Points without a value
 * (staleness markers) are skipped.
 */
export function createMetricPointWriter(db: Db): MetricPointWriter {
  const findSeries = db.prepare<[string, string], { id: number }>('SELECT id FROM metric_series WHERE name = ? AND dimensions = ?');
  const insertSeries = db.prepare(
    'INSERT INTO metric_series (name, service, kind, temporality, monotonic, unit, dimensions) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertPoint = db.prepare(
    'INSERT INTO metric_points (series_id, time_ms, start_ms, value, count, sum, min, max, buckets, bounds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const cache = new Map<string, number>();
  const seriesId = (p: MetricPoint): number => {
    const dims = dimensionsKey(dimensionsOf(p));
    const cacheKey = `${p.name}\u0000${dims}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const id =
      findSeries.get(p.name, dims)?.id ??
      Number(insertSeries.run(p.name, p.service, p.kind, p.temporality ?? null, p.monotonic === true ? 1 : 0, p.unit, dims).lastInsertRowid);
    cache.set(cacheKey, id);
    return id;
  };
  return (points) => {
    for (const p of points) {
      if (p.noRecordedValue === true) continue;
      const h = p.histogram ?? (p.exponentialHistogram ? explicitFromExponential(p.exponentialHistogram) : undefined);
      const count = h?.count ?? p.summary?.count ?? null;
      const sum = h?.sum ?? p.summary?.sum ?? null;
      insertPoint.run(
        seriesId(p), p.timeMs, p.startTimeMs ?? null, p.value ?? null, count, sum, h?.min ?? null, h?.max ?? null,
        h ? float64Blob(h.bucketCounts) : null, h ? float64Blob(h.explicitBounds) : null,
      );
    }
  };
}

/** Numbers as a float64 BLOB (little-endian, the platform's order). */
export function float64Blob(values: readonly number[]): Buffer {
  const a = Float64Array.from(values);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A float64 BLOB back to numbers. */
export function fromFloat64Blob(blob: Uint8Array): Float64Array {
  // Copy: SQLite's buffer may not be 8-byte aligned.
  const copy = new Uint8Array(blob);
  return new Float64Array(copy.buffer, 0, copy.byteLength / 8);
}
