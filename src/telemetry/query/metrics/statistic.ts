import { InputError } from '../../../shared/index.js';

/** A CloudWatch statistic: `SampleCount`, `Sum`, `Average`, `Minimum`, `Maximum`, or a percentile `pNN` (`p50`, `p99.9`). */
export type Statistic = 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' | `p${number}`;

/** A statistic checked and compiled: a named one, or a percentile in [0, 100]. */
export type CompiledStatistic =
  | { readonly kind: 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' }
  | { readonly kind: 'percentile'; readonly percent: number };

const NAMED = new Set(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
const PERCENTILE = /^p(\d{1,2}(?:\.\d+)?|100)$/;

/**
 * Compiles a statistic name.
 * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` naming what is allowed.
 */
export function compileStatistic(stat: string, path = 'stat'): CompiledStatistic {
  if (NAMED.has(stat)) return { kind: stat as 'SampleCount' };
  const m = PERCENTILE.exec(stat);
  if (m?.[1] !== undefined) return { kind: 'percentile', percent: Number(m[1]) };
  const message = `"${stat}" is not a statistic: use SampleCount, Sum, Average, Minimum, Maximum or pNN (p50, p99, p99.9)`;
  throw new InputError('SLW_ERR_METRICS_QUERY_INVALID', `${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * The nearest-rank percentile of samples: the smallest sample such that at least
 * `percent`% of the samples are less than or equal to it. `undefined` for no samples.
 * @param sorted samples in ascending order
 */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const rank = Math.min(n, Math.max(1, Math.ceil((percent / 100) * n)));
  return sorted[rank - 1];
}

/** One histogram bucket with finite bounds: `count` values in `(lower, upper]`. */
export interface BucketInterval {
  /** Lower bound. */
  readonly lower: number;
  /** Upper bound. */
  readonly upper: number;
  /** Values in the bucket. */
  readonly count: number;
}

/**
 * The finite intervals of an explicit-bucket histogram. The first bucket
 * `(-inf, b0]` starts at the recorded minimum when known, else at 0 (or at b0 when
 * b0 ≤ 0); the last bucket `(bN, +inf)` ends at the recorded maximum when known, else at bN.
 */
export function bucketIntervals(counts: readonly number[], bounds: readonly number[], min?: number, max?: number): BucketInterval[] {
  const out: BucketInterval[] = [];
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (count <= 0) continue;
    const first = bounds[0];
    const last = bounds[bounds.length - 1];
    let lower = i === 0 ? (min ?? (first !== undefined && first > 0 ? 0 : (first ?? 0))) : (bounds[i - 1] ?? 0);
    let upper = i < bounds.length ? (bounds[i] ?? 0) : (max ?? last ?? lower);
    if (i === 0 && first !== undefined && lower > first) lower = first;
    if (upper < lower) upper = lower;
    out.push({ lower, upper, count });
  }
  return out;
}

/**
 * A percentile of merged histogram buckets: the buckets are ordered by upper bound,
 * the rank is `percent/100 × total`, and the value is interpolated linearly inside
 * the bucket where the cumulative count reaches the rank (as Prometheus'
 * `histogram_quantile`). `undefined` when there are no values.
 */
export function histogramPercentile(intervals: readonly BucketInterval[], percent: number): number | undefined {
  // Equal buckets of different points merge into one before interpolating.
  const merged = new Map<string, BucketInterval>();
  for (const b of intervals) {
    const k = `${b.lower}:${b.upper}`;
    const m = merged.get(k);
    merged.set(k, m === undefined ? b : { lower: b.lower, upper: b.upper, count: m.count + b.count });
  }
  const sorted = [...merged.values()].sort((a, b) => a.upper - b.upper || a.lower - b.lower);
  const total = sorted.reduce((s, b) => s + b.count, 0);
  if (total === 0) return undefined;
  const rank = (percent / 100) * total;
  let cumulative = 0;
  for (const b of sorted) {
    if (cumulative + b.count >= rank) {
      const within = b.count === 0 ? 0 : Math.max(0, rank - cumulative) / b.count;
      return b.lower + (b.upper - b.lower) * within;
    }
    cumulative += b.count;
  }
  return sorted[sorted.length - 1]?.upper;
}
