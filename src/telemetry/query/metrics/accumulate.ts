import type { MetricKind, MetricTemporality } from '../../model/index.js';
import { SampleSketch } from '../../store/sample-sketch.js';
import { bucketIntervals, histogramPercentile, nearestRank, type BucketInterval, type CompiledStatistic } from './statistic.js';

/** A stored point as the metric query reads it. */
export interface StoredPoint {
  /** The point's time, ms. */
  readonly timeMs: number;
  /** Start of its aggregation interval, ms, when known. */
  readonly startMs?: number;
  /** Gauge or sum value. */
  readonly value?: number;
  /** Histogram/summary count. */
  readonly count?: number;
  /** Histogram/summary sum. */
  readonly sum?: number;
  /** Histogram minimum. */
  readonly min?: number;
  /** Histogram maximum. */
  readonly max?: number;
  /** Histogram bucket counts. */
  readonly buckets?: readonly number[];
  /** Histogram bounds. */
  readonly bounds?: readonly number[];
}

/** What the query needs to know about a series. */
export interface SeriesInfo {
  /** OTLP data type. */
  readonly kind: MetricKind;
  /** Temporality, when a sum or histogram. */
  readonly temporality?: MetricTemporality;
  /** Whether a sum is monotonic. */
  readonly monotonic: boolean;
}

/** What one period collected, across series. */
export class PeriodAccumulator {
  /** Raw samples (gauge values, counter deltas). */
  readonly samples: number[] = [];
  /** Histogram buckets. */
  readonly intervals: BucketInterval[] = [];
  /** Values counted by histograms. */
  histogramCount = 0;
  /** Sum of histogram values. */
  histogramSum = 0;
  /** Smallest histogram value recorded, when known. */
  histogramMin: number | undefined;
  /** Largest histogram value recorded, when known. */
  histogramMax: number | undefined;
  /** Samples counted by rollups (whole minutes of sample series). */
  rolledCount = 0;
  /** Sum of the rolled-up samples. */
  rolledSum = 0;
  /** Smallest rolled-up sample. */
  rolledMin = Infinity;
  /** Largest rolled-up sample. */
  rolledMax = -Infinity;
  /** The rollups' merged sketch, when they were read for a percentile. */
  sketch: SampleSketch | undefined;

  /** Adds one rollup row (and its sketch, for a percentile). */
  addRollup(count: number, sum: number, min: number, max: number, sketch?: Uint8Array): void {
    this.rolledCount += count;
    this.rolledSum += sum;
    if (min < this.rolledMin) this.rolledMin = min;
    if (max > this.rolledMax) this.rolledMax = max;
    if (sketch !== undefined) (this.sketch ??= new SampleSketch()).merge(sketch);
  }

  /** The statistic over everything collected; `undefined` for no data. */
  statistic(stat: CompiledStatistic): number | undefined {
    const s = this.samples;
    const n = s.length + this.histogramCount + this.rolledCount;
    if (n === 0) return undefined;
    const rolled = this.rolledCount > 0;
    switch (stat.kind) {
      case 'SampleCount':
        return n;
      case 'Sum':
        return sumOf(s) + this.histogramSum + this.rolledSum;
      case 'Average':
        return (sumOf(s) + this.histogramSum + this.rolledSum) / n;
      case 'Minimum':
        return minOf([...s, ...(this.histogramCount > 0 ? [this.histogramMin ?? lowestBound(this.intervals)] : []), ...(rolled ? [this.rolledMin] : [])]);
      case 'Maximum':
        return maxOf([...s, ...(this.histogramCount > 0 ? [this.histogramMax ?? highestBound(this.intervals)] : []), ...(rolled ? [this.rolledMax] : [])]);
      case 'percentile':
        if (this.sketch !== undefined && s.length === 0 && this.histogramCount === 0) {
          // Nearest rank on the sketch, within its relative accuracy, never outside the recorded range.
          const v = this.sketch.valueAtRank(Math.min(n, Math.max(1, Math.ceil((stat.percent / 100) * n))));
          return v === undefined ? undefined : Math.min(this.rolledMax, Math.max(this.rolledMin, v));
        }
        if (this.histogramCount > 0) {
          // Raw samples join the buckets as zero-width intervals.
          return histogramPercentile([...this.intervals, ...s.map((v) => ({ lower: v, upper: v, count: 1 }))], stat.percent);
        }
        return nearestRank(Float64Array.from(s).sort(), stat.percent);
    }
  }
}

function sumOf(a: readonly number[]): number {
  let t = 0;
  for (const v of a) t += v;
  return t;
}
function minOf(a: readonly number[]): number | undefined {
  return a.length === 0 ? undefined : a.reduce((m, v) => (v < m ? v : m));
}
function maxOf(a: readonly number[]): number | undefined {
  return a.length === 0 ? undefined : a.reduce((m, v) => (v > m ? v : m));
}
function lowestBound(intervals: readonly BucketInterval[]): number {
  return intervals.reduce((m, b) => Math.min(m, b.lower), Infinity);
}
function highestBound(intervals: readonly BucketInterval[]): number {
  return intervals.reduce((m, b) => Math.max(m, b.upper), -Infinity);
}

/** The start of the period `timeMs` falls in (periods are aligned to the epoch). */
export function periodStart(timeMs: number, periodMs: number): number {
  return Math.floor(timeMs / periodMs) * periodMs;
}

function isReset(prev: StoredPoint, cur: StoredPoint, prevTotal: number, curTotal: number): boolean {
  return curTotal < prevTotal || (prev.startMs !== undefined && cur.startMs !== undefined && cur.startMs !== prev.startMs);
}

/**
 * Adds a series' points (ascending, inside the window) to per-period accumulators.
 * - Gauges and non-monotonic sums: each value is a sample.
 * - Delta sums: each value is a sample. Cumulative monotonic sums: the difference to
 *   the previous point is a sample; a drop or a new start time is a reset, where the
 *   value itself is the delta. The first point uses `baseline` (the last point before
 *   the window), or counts whole when its start time is inside the window.
 * - Histograms: delta points add their buckets; cumulative points add the bucket
 *   differences to the previous point (reset-aware as above). Min/max are kept for
 *   delta points only (a cumulative min/max covers all time).
 */
export function accumulateSeries(
  info: SeriesInfo,
  baseline: StoredPoint | undefined,
  points: readonly StoredPoint[],
  periodMs: number,
  windowStartMs: number,
  into: Map<number, PeriodAccumulator>,
): void {
  const at = (t: number): PeriodAccumulator => {
    const k = periodStart(t, periodMs);
    let acc = into.get(k);
    if (acc === undefined) into.set(k, (acc = new PeriodAccumulator()));
    return acc;
  };
  const cumulative = info.temporality === 'Cumulative';
  const fresh = (p: StoredPoint): boolean => p.startMs !== undefined && p.startMs >= windowStartMs;
  let prev = baseline;
  for (const p of points) {
    if (p.buckets !== undefined && p.bounds !== undefined) {
      let counts = p.buckets;
      let count = p.count ?? 0;
      let sum = p.sum ?? 0;
      if (cumulative) {
        if (prev?.buckets === undefined) {
          // No earlier point: the whole count is new only when the series started in the window.
          if (!fresh(p)) {
            prev = p;
            continue;
          }
        } else if (!isReset(prev, p, prev.count ?? 0, count) && sameBounds(prev.bounds, p.bounds)) {
          const before = prev.buckets;
          counts = counts.map((c, i) => c - (before[i] ?? 0));
          count -= prev.count ?? 0;
          sum -= prev.sum ?? 0;
        }
      }
      prev = p;
      if (count <= 0) continue;
      const acc = at(p.timeMs);
      const min = cumulative ? undefined : p.min;
      const max = cumulative ? undefined : p.max;
      acc.intervals.push(...bucketIntervals(counts, p.bounds, min, max));
      acc.histogramCount += count;
      acc.histogramSum += sum;
      if (min !== undefined) acc.histogramMin = acc.histogramMin === undefined ? min : Math.min(acc.histogramMin, min);
      if (max !== undefined) acc.histogramMax = acc.histogramMax === undefined ? max : Math.max(acc.histogramMax, max);
      continue;
    }
    const value = p.value ?? (p.count !== undefined ? p.sum : undefined);
    if (value === undefined) continue;
    if (info.kind === 'Sum' && cumulative && info.monotonic) {
      if (prev?.value === undefined) {
        prev = p;
        if (fresh(p)) at(p.timeMs).samples.push(value);
        continue;
      }
      const delta = isReset(prev, p, prev.value, value) ? value : value - prev.value;
      prev = p;
      at(p.timeMs).samples.push(delta);
      continue;
    }
    at(p.timeMs).samples.push(value);
  }
}

function sameBounds(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}
