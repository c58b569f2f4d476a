import { InputError } from '../../shared/index.js';
import { robustStats, type RobustStats } from './robust-stats.js';

/** The repeating pattern an anomaly model learns: none, within each hour, or within each day (UTC). */
export type Seasonality = 'none' | 'hourly' | 'daily';

/** Options of `fitAnomalyModel`. */
export interface AnomalyModelOptions {
  /** The pattern to learn. */
  readonly seasonality: Seasonality;
  /** A bucket with fewer points uses the global statistics instead. @default 5 */
  readonly minPointsPerBucket?: number;
  /**
   * The smallest standard deviation a band uses, so a flat series does not alarm on tiny noise.
   * @default max(5% of |global median|, 10% of the global standard deviation)
   */
  readonly minStdDev?: number;
}

/** A trained model: robust statistics per time-of-cycle bucket and for the whole history. Plain data, JSON-safe. */
export interface AnomalyModel {
  /** The pattern learned. */
  readonly seasonality: Seasonality;
  /** The length of one cycle (`daily` 1 day, `hourly` 1 hour, `none` 0). */
  readonly cycleMs: number;
  /** The width of one bucket within the cycle (`daily` 1 hour, `hourly` 5 minutes, `none` 0). */
  readonly bucketMs: number;
  /** Statistics per bucket, index = floor((time mod cycle) / bucket); empty for `none`. */
  readonly buckets: readonly RobustStats[];
  /** Statistics of the whole history, used for `none` and for sparse buckets. */
  readonly global: RobustStats;
  /** Buckets with fewer points fall back to `global`. */
  readonly minPointsPerBucket: number;
  /** The floor of every band's standard deviation. */
  readonly minStdDev: number;
}

/** One point of a band: what is expected and the range considered normal. */
export interface AnomalyBand {
  /** The lower edge. */
  readonly lower: number;
  /** The upper edge. */
  readonly upper: number;
  /** The expected value (the bucket's median). */
  readonly expected: number;
}

const HOUR_MS = 3_600_000;
const LAYOUT: Record<Seasonality, { cycleMs: number; bucketMs: number }> = {
  none: { cycleMs: 0, bucketMs: 0 },
  hourly: { cycleMs: HOUR_MS, bucketMs: 5 * 60_000 },
  daily: { cycleMs: 24 * HOUR_MS, bucketMs: HOUR_MS },
};

function bucketOf(timeMs: number, cycleMs: number, bucketMs: number): number {
  return Math.floor((((timeMs % cycleMs) + cycleMs) % cycleMs) / bucketMs);
}

/**
 * Trains an anomaly detection model from history (see docs/alarms.md): for each time-of-cycle bucket
 * the median and the MAD-based standard deviation of the values that fell in it.
 *
 * @throws InputError `SLW_ERR_ALARM_ANOMALY_HISTORY` when the history has fewer than
 *   `minPointsPerBucket` points or a non-finite value.
 */
export function fitAnomalyModel(history: readonly { timeMs: number; value: number }[], options: AnomalyModelOptions): AnomalyModel {
  const minPointsPerBucket = options.minPointsPerBucket ?? 5;
  const { cycleMs, bucketMs } = LAYOUT[options.seasonality];
  if (history.length < Math.max(1, minPointsPerBucket)) {
    throw new InputError('SLW_ERR_ALARM_ANOMALY_HISTORY', `An anomaly model needs at least ${Math.max(1, minPointsPerBucket)} points of history, got ${history.length}`);
  }
  const bad = history.findIndex((p) => !Number.isFinite(p.value) || !Number.isFinite(p.timeMs));
  if (bad >= 0) {
    throw new InputError('SLW_ERR_ALARM_ANOMALY_HISTORY', `history[${bad}] is not a finite time and value`, {
      issues: [{ path: `history[${bad}]`, message: 'must have a finite timeMs and value' }],
    });
  }
  const global = robustStats(history.map((p) => p.value));
  const bucketValues: number[][] = cycleMs === 0 ? [] : Array.from({ length: cycleMs / bucketMs }, () => []);
  if (cycleMs > 0) for (const p of history) bucketValues[bucketOf(p.timeMs, cycleMs, bucketMs)]?.push(p.value);
  const minStdDev = options.minStdDev ?? Math.max(0.05 * Math.abs(global.median), 0.1 * global.stdDev);
  return Object.freeze({
    seasonality: options.seasonality,
    cycleMs,
    bucketMs,
    buckets: Object.freeze(bucketValues.map((values) => robustStats(values))),
    global,
    minPointsPerBucket,
    minStdDev,
  });
}

/**
 * The band at `timeMs`: expected = the bucket's median, edges = expected ± `bandWidth` standard
 * deviations (the bucket's, never below the model's `minStdDev`). Sparse buckets use the global statistics.
 *
 * @param bandWidth the number of standard deviations on each side. @default 2
 */
export function anomalyBand(model: AnomalyModel, timeMs: number, bandWidth = 2): AnomalyBand {
  const bucket = model.cycleMs === 0 ? undefined : model.buckets[bucketOf(timeMs, model.cycleMs, model.bucketMs)];
  const stats = bucket !== undefined && bucket.count >= model.minPointsPerBucket ? bucket : model.global;
  const sigma = Math.max(stats.stdDev, model.minStdDev);
  return { lower: stats.median - bandWidth * sigma, upper: stats.median + bandWidth * sigma, expected: stats.median };
}
