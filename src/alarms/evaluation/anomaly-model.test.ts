import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { anomalyBand, fitAnomalyModel } from './anomaly-model.js';
import { evaluateMetricAlarm } from './evaluate-metric-alarm.js';
import { robustStats } from './robust-stats.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

/** A deterministic pseudo-random generator (mulberry32) so the noise is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 100 + 50·sin(2π·time-of-day) ± 5 of noise: peak at 06:00 UTC, trough at 18:00 UTC. */
function dailySine(days: number, stepMs: number, seed: number): { timeMs: number; value: number }[] {
  const next = random(seed);
  const points: { timeMs: number; value: number }[] = [];
  for (let t = T0; t < T0 + days * DAY; t += stepMs) points.push({ timeMs: t, value: 100 + 50 * Math.sin((2 * Math.PI * (t - T0)) / DAY) + (next() - 0.5) * 10 });
  return points;
}

describe('robustStats', () => {
  it.each([
    [[1, 2, 3, 4, 100], 3, 1 * 1.4826],
    [[5, 5, 5, 5], 5, 0],
    [[1, 3], 2, 1 * 1.4826],
  ])('%j → median %d, stdDev %d', (values, median, stdDev) => {
    // GIVEN values WHEN summarised THEN the median and the scaled MAD are exact (the outlier does not move them)
    const stats = robustStats(values);
    expect([stats.median, stats.stdDev]).toEqual([median, stdDev]);
  });
});

describe('anomaly detection band', () => {
  const history = dailySine(14, 5 * MIN, 1);
  const model = fitAnomalyModel(history, { seasonality: 'daily' });

  it('follows the daily shape: the peak hour expects more than the trough hour', () => {
    // GIVEN 14 days of a daily sine WHEN the band is asked at 06:30 and 18:30 on a new day
    const peak = anomalyBand(model, T0 + 20 * DAY + 6.5 * HOUR);
    const trough = anomalyBand(model, T0 + 20 * DAY + 18.5 * HOUR);
    // THEN the expected values sit near 150 and 50 and the peak is above the trough
    expect(peak.expected).toBeGreaterThan(trough.expected);
    expect(Math.round(peak.expected)).toBeGreaterThanOrEqual(145);
    expect(Math.round(trough.expected)).toBeLessThanOrEqual(55);
    expect(peak.upper - peak.lower).toBeCloseTo(4 * Math.max(model.buckets[6]?.stdDev ?? 0, model.minStdDev), 9);
  });

  it('keeps a new day of the same pattern inside the band and alarms on a spike', () => {
    // GIVEN a new day of the same pattern (other noise) with one spike at 12:00
    const day = dailySine(1, 5 * MIN, 2).map((p) => ({ timeMs: p.timeMs + 15 * DAY, value: p.value }));
    const spikeIndex = (12 * HOUR) / (5 * MIN);
    const band = day.map((p) => anomalyBand(model, p.timeMs));
    const alarm = {
      threshold: 0,
      comparison: 'LessThanLowerOrGreaterThanUpperThreshold' as const,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'missing' as const,
      periodMs: 5 * MIN,
    };
    // WHEN each 5-minute datapoint is evaluated as a 1-of-1 band alarm
    const states = day.map((p, i) =>
      evaluateMetricAlarm({ alarm, datapoints: [i === spikeIndex ? 400 : p.value], band: [band[i] ?? { lower: 0, upper: 0 }], previousState: 'OK' }).state,
    );
    // THEN only the spike alarms
    expect(states.filter((s) => s === 'ALARM').length).toBe(1);
    expect(states[spikeIndex]).toBe('ALARM');
  });

  it('does not alarm on tiny noise around a flat series (the band has a minimum width)', () => {
    // GIVEN a flat series at 200 with ±0.01 of noise
    const next = random(3);
    const flat = Array.from({ length: 500 }, (_, i) => ({ timeMs: T0 + i * MIN, value: 200 + (next() - 0.5) * 0.02 }));
    const flatModel = fitAnomalyModel(flat, { seasonality: 'none' });
    // WHEN the band is asked
    const band = anomalyBand(flatModel, T0 + DAY);
    // THEN its half-width is 2 × 5% of the median (20), so 201 is normal and 250 is not
    expect(Math.round((band.upper - band.lower) / 2)).toBe(20);
    expect(band.lower < 201 && 201 < band.upper).toBe(true);
    expect(250 > band.upper).toBe(true);
  });

  it.each([
    ['daily', HOUR, 3, 10],
    ['daily', HOUR, 7, 100],
    ['daily', HOUR, 12, 100],
    ['hourly', 5 * MIN, 3, 10],
    ['hourly', 5 * MIN, 7, 100],
  ] as const)('%s: bucket %i of %i ms → expected %i (sparse buckets use the global median)', (seasonality, bucketMs, bucket, want) => {
    // GIVEN six 10s in bucket 3, two 500s in bucket 7 and eleven 100s in bucket 9, on different cycles
    const cycleMs = seasonality === 'daily' ? DAY : HOUR;
    const put = (count: number, index: number, value: number) =>
      Array.from({ length: count }, (_, i) => ({ timeMs: T0 + i * cycleMs + index * bucketMs, value }));
    const model = fitAnomalyModel([...put(6, 3, 10), ...put(2, 7, 500), ...put(11, 9, 100)], { seasonality });
    // WHEN the band is asked in the middle of a bucket of a later cycle
    const band = anomalyBand(model, T0 + 30 * cycleMs + bucket * bucketMs + bucketMs / 2);
    // THEN a bucket with >= 5 points gives its own median, a sparser one the global median (100)
    expect(band.expected).toBe(want);
  });

  it('uses the band width in standard deviations (default 2)', () => {
    // GIVEN a model with a known spread WHEN asked with widths 2 and 3 THEN the half-widths scale exactly
    const stats = fitAnomalyModel([1, 2, 3, 4, 100].map((value, i) => ({ timeMs: T0 + i, value })), { seasonality: 'none', minStdDev: 0 });
    expect(anomalyBand(stats, T0)).toEqual({ lower: 3 - 2 * 1.4826, upper: 3 + 2 * 1.4826, expected: 3 });
    expect(anomalyBand(stats, T0, 3)).toEqual({ lower: 3 - 3 * 1.4826, upper: 3 + 3 * 1.4826, expected: 3 });
  });

  it.each([[[]], [[{ timeMs: T0, value: Number.NaN }, ...Array.from({ length: 5 }, (_, i) => ({ timeMs: T0 + i, value: 1 }))]]])(
    'rejects history it cannot learn from',
    (points) => {
      // GIVEN empty or non-finite history WHEN fitted THEN an InputError with the anomaly code
      expect(() => fitAnomalyModel(points, { seasonality: 'none' })).toThrow(InputError);
    },
  );
});
