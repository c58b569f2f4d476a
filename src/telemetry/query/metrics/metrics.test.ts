import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../model/index.js';
import { memoryStore } from '../../store/test-fixtures/make.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { queryMetricData } from './query-metric-data.js';
import { queryMetric } from './query-metric.js';
import { histogramPercentile, nearestRank } from './statistic.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

// Points are sent with a key unless a test says otherwise: queries read trusted points by default.
function point(name: string, attrs: Record<string, string>, timeMs: number, rest: Partial<MetricPoint>): MetricPoint {
  return { name, unit: '', description: '', kind: 'Gauge', service: attrs.service ?? 'svc', resource: {}, attributes: attrs, timeMs, origin: 'Authenticated', ...rest };
}

/** Reference statistics in plain array code. */
function reference(values: number[], stat: string): number {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = values.reduce((a, b) => a + b, 0);
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Sum') return sum;
  if (stat === 'Average') return sum / values.length;
  if (stat === 'Minimum') return sorted[0] as number;
  if (stat === 'Maximum') return sorted[sorted.length - 1] as number;
  const p = Number(stat.slice(1));
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

describe('metric queries', () => {
  let store: TelemetryStore;
  const gauge: { t: number; v: number; route: string }[] = [];
  beforeEach(() => {
    store = memoryStore();
    gauge.length = 0;
    // GIVEN two gauge series (routes /a and /b) with pseudo-random values over 5 minutes
    let seed = 7;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 300; i++) gauge.push({ t: T0 + i * 1000 + 17, v: Math.round(rand() * 1000) / 10, route: i % 3 === 0 ? '/b' : '/a' });
    store.write({ spans: [], logs: [], points: gauge.map((g) => point('latency', { service: 'gateway', route: g.route }, g.t, { value: g.v })) });
  });
  afterEach(() => store.close());

  it.each(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p50', 'p90', 'p99', 'p99.9'])('gauge %s matches the reference per period', (stat) => {
    // WHEN queried per minute over every series
    const r = queryMetric(store.db, { name: 'latency', dimensions: { service: 'gateway' }, stat, periodMs: MIN, startMs: T0, endMs: T0 + 5 * MIN });
    // THEN each period's value is the reference computation over its samples
    const expected = [0, 1, 2, 3, 4].map((m) => reference(gauge.filter((g) => g.t >= T0 + m * MIN && g.t < T0 + (m + 1) * MIN).map((g) => g.v), stat));
    expect(r.timestamps).toEqual([0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
    expect(r.values.map((v) => +v.toFixed(9))).toEqual(expected.map((v) => +v.toFixed(9)));
  });

  it('matches dimensions as a subset', () => {
    const r = queryMetric(store.db, { name: 'latency', dimensions: { route: '/b' }, stat: 'SampleCount', periodMs: 5 * MIN, startMs: T0, endMs: T0 + 5 * MIN });
    expect(r).toEqual({ timestamps: [T0], values: [100] });
    expect(queryMetric(store.db, { name: 'latency', dimensions: { route: '/c' }, stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + MIN })).toEqual({ timestamps: [], values: [] });
  });

  it('turns cumulative counters into deltas, across a reset, using the point before the window', () => {
    // GIVEN a cumulative counter: 100 before the window, then 105, 112, a restart (3), 10
    const c = (t: number, v: number, startMs: number) => point('requests', { service: 'orders' }, t, { kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: v, startTimeMs: startMs });
    store.write({ spans: [], logs: [], points: [c(T0 - 10_000, 100, T0 - 3_600_000), c(T0 + 10_000, 105, T0 - 3_600_000), c(T0 + 50_000, 112, T0 - 3_600_000), c(T0 + 70_000, 3, T0 + 65_000), c(T0 + 90_000, 10, T0 + 65_000)] });
    // WHEN summed per minute THEN deltas 5+7 and 3+7; SampleCount counts deltas
    const q = { name: 'requests', stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + 2 * MIN };
    expect(queryMetric(store.db, q)).toEqual({ timestamps: [T0, T0 + MIN], values: [12, 10] });
    expect(queryMetric(store.db, { ...q, stat: 'Maximum' }).values).toEqual([7, 7]);
    expect(queryMetric(store.db, { ...q, stat: 'SampleCount' }).values).toEqual([2, 2]);
  });

  it('adds delta counters', () => {
    const d = (t: number, v: number, route: string) => point('errors', { service: 'orders', route }, t, { kind: 'Sum', temporality: 'Delta', monotonic: true, value: v });
    store.write({ spans: [], logs: [], points: [d(T0 + 1000, 2, '/a'), d(T0 + 2000, 3, '/b'), d(T0 + 61_000, 4, '/a')] });
    expect(queryMetric(store.db, { name: 'errors', stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + 2 * MIN })).toEqual({ timestamps: [T0, T0 + MIN], values: [5, 4] });
  });

  it('computes histogram percentiles from merged buckets, by linear interpolation', () => {
    // GIVEN two delta histogram points with bounds 10, 50, 100
    const h = (t: number, counts: number[], sum: number, min: number, max: number) =>
      point('duration', { service: 'api' }, t, { kind: 'Histogram', temporality: 'Delta', histogram: { count: counts.reduce((a, b) => a + b, 0), sum, min, max, bucketCounts: counts, explicitBounds: [10, 50, 100] } });
    store.write({ spans: [], logs: [], points: [h(T0 + 1000, [2, 6, 1, 1], 400, 1, 300), h(T0 + 2000, [0, 4, 4, 2], 900, 12, 300)] });
    const q = { name: 'duration', stat: 'p50', periodMs: MIN, startMs: T0, endMs: T0 + MIN };
    // THEN merged counts [2, 10, 5, 3] (20 values): rank 10 falls in (10, 50] at 8/10 → 42; rank 19 in (100, 300] at 2/3
    const intervals = [{ lower: 1, upper: 10, count: 2 }, { lower: 10, upper: 50, count: 10 }, { lower: 50, upper: 100, count: 5 }, { lower: 100, upper: 300, count: 3 }];
    expect(queryMetric(store.db, q).values).toEqual([42]);
    expect(histogramPercentile(intervals, 50)).toBe(42);
    expect(queryMetric(store.db, { ...q, stat: 'p95' }).values[0]).toBeCloseTo(100 + 200 * (2 / 3), 9);
    expect(queryMetric(store.db, { ...q, stat: 'SampleCount' }).values).toEqual([20]);
    expect(queryMetric(store.db, { ...q, stat: 'Average' }).values).toEqual([65]);
    expect(queryMetric(store.db, { ...q, stat: 'Minimum' }).values).toEqual([1]);
    expect(queryMetric(store.db, { ...q, stat: 'Maximum' }).values).toEqual([300]);
  });

  it('takes bucket differences of cumulative histograms', () => {
    const h = (t: number, counts: number[], sum: number) =>
      point('size', { service: 'api' }, t, { kind: 'Histogram', temporality: 'Cumulative', startTimeMs: T0 - 1000, histogram: { count: counts.reduce((a, b) => a + b, 0), sum, bucketCounts: counts, explicitBounds: [10, 20] } });
    store.write({ spans: [], logs: [], points: [h(T0 - 500, [1, 1, 0], 20), h(T0 + 30_000, [3, 1, 0], 30), h(T0 + 90_000, [3, 5, 0], 90)] });
    const q = { name: 'size', periodMs: MIN, startMs: T0, endMs: T0 + 2 * MIN };
    expect(queryMetric(store.db, { ...q, stat: 'SampleCount' }).values).toEqual([2, 4]);
    expect(queryMetric(store.db, { ...q, stat: 'Sum' }).values).toEqual([10, 60]);
    // (0, 10] holds both new values of the first minute: the median is at rank 1 of 2 → 5
    expect(queryMetric(store.db, { ...q, stat: 'p50' }).values).toEqual([5, 15]);
  });

  it.each([
    { sorted: [1, 2, 3, 4], p: 50, expected: 2 },
    { sorted: [1, 2, 3, 4], p: 51, expected: 3 },
    { sorted: [5], p: 99.9, expected: 5 },
    { sorted: [1, 2, 3], p: 0, expected: 1 },
  ])('nearest rank p$p of $sorted is $expected', ({ sorted, p, expected }) => {
    expect(nearestRank(sorted, p)).toBe(expected);
  });

  it.each([
    { stat: 'p101', code: 'SLW_ERR_METRICS_QUERY_INVALID' },
    { stat: 'Median', code: 'SLW_ERR_METRICS_QUERY_INVALID' },
  ])('refuses statistic $stat', ({ stat, code }) => {
    expect(() => queryMetric(store.db, { name: 'x', stat, periodMs: MIN, startMs: T0, endMs: T0 + MIN })).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    // GIVEN points of one series from each origin THEN what a query sees with and without anonymous points
    { includeAnonymous: undefined, sum: 3 },
    { includeAnonymous: false, sum: 3 },
    { includeAnonymous: true, sum: 103 },
  ])('reads anonymous points only when asked (includeAnonymous $includeAnonymous)', ({ includeAnonymous, sum }) => {
    const g = (v: number, origin: MetricPoint['origin']) => point('HTTPCode_Target_5XX_Count', { service: 'web', environment: 'production' }, T0 + v, { value: v, ...(origin ? { origin } : {}) });
    store.write({ spans: [], logs: [], points: [g(1, 'Internal'), g(2, 'Authenticated'), g(100, 'Anonymous')] });
    // WHEN summed over the minute
    const r = queryMetric(store.db, { name: 'HTTPCode_Target_5XX_Count', dimensions: { service: 'web' }, stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + MIN, ...(includeAnonymous === undefined ? {} : { includeAnonymous }) });
    expect(r.values).toEqual([sum]);
  });

  it('stores a point without an origin as anonymous', () => {
    store.write({ spans: [], logs: [], points: [{ ...point('bare', { service: 'web' }, T0 + 1, { value: 5 }), origin: undefined }] });
    const q = { name: 'bare', stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + MIN };
    expect([queryMetric(store.db, q).values, queryMetric(store.db, { ...q, includeAnonymous: true }).values]).toEqual([[], [5]]);
  });

  it('lets the most trusted writer own a series: an anonymous gauge cannot turn the router\'s counter into raw samples', () => {
    // GIVEN an anonymous sender that creates the router's series first, as a gauge of 1000
    const dims = { service: 'web', environment: 'production', revision: 'r2', targetGroup: 'production.web.r2' };
    store.write({ spans: [], logs: [], points: [point('HTTPCode_Target_5XX_Count', dims, T0 + 1000, { value: 1000, origin: 'Anonymous' })] });
    // WHEN the router then publishes its cumulative counter 0, 2, 5 into the same series
    const c = (t: number, v: number) => point('HTTPCode_Target_5XX_Count', dims, t, { service: 'slipway-router', kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: v, startTimeMs: T0 - MIN, origin: 'Internal' });
    store.write({ spans: [], logs: [], points: [c(T0 + 5000, 0), c(T0 + 10_000, 2), c(T0 + 15_000, 5)] });
    // THEN the trusted read takes deltas (2 + 3), as for a counter, not the sum of raw values (7)
    expect(queryMetric(store.db, { name: 'HTTPCode_Target_5XX_Count', dimensions: { service: 'web' }, stat: 'Sum', periodMs: MIN, startMs: T0, endMs: T0 + MIN }).values).toEqual([5]);
    expect(store.db.prepare("SELECT kind, origin, service FROM metric_series WHERE name = 'HTTPCode_Target_5XX_Count'").all()).toEqual([{ kind: 'Sum', origin: 2, service: 'slipway-router' }]);
    // AND a later anonymous gauge does not take the series back
    store.write({ spans: [], logs: [], points: [point('HTTPCode_Target_5XX_Count', dims, T0 + 20_000, { value: 1000, origin: 'Anonymous' })] });
    expect(store.db.prepare("SELECT kind, origin FROM metric_series WHERE name = 'HTTPCode_Target_5XX_Count'").all()).toEqual([{ kind: 'Sum', origin: 2 }]);
  });

  it('refuses a period outside 1s–1h', () => {
    expect(() => queryMetric(store.db, { name: 'x', stat: 'Sum', periodMs: 500, startMs: T0, endMs: T0 + MIN })).toThrow(expect.objectContaining({ code: 'SLW_ERR_METRICS_QUERY_INVALID' }));
  });
});

describe('metric math', () => {
  let store: TelemetryStore;
  beforeEach(() => {
    store = memoryStore();
    // GIVEN requests and 5xx per minute as delta sums: requests 10, 20, 40; errors 1, (none), 4
    const d = (name: string, t: number, v: number) => point(name, { service: 'gateway' }, t, { kind: 'Sum', temporality: 'Delta', monotonic: true, value: v });
    store.write({ spans: [], logs: [], points: [d('req', T0, 10), d('req', T0 + MIN, 20), d('req', T0 + 2 * MIN, 40), d('err', T0 + 1, 1), d('err', T0 + 2 * MIN, 4)] });
  });
  afterEach(() => store.close());

  const run = (expression: string) =>
    queryMetricData(store.db, {
      queries: [{ id: 'requests', name: 'req', stat: 'Sum' }, { id: 'errors', name: 'err', stat: 'Sum', dimensions: { service: 'gateway' } }],
      expressions: [{ id: 'e', expression }],
      periodMs: MIN,
      startMs: T0,
      endMs: T0 + 3 * MIN,
    }).find((r) => r.id === 'e');

  it.each([
    { expression: 'errors / requests * 100', values: [10, 10], at: [0, 2] },
    { expression: 'FILL(errors, 0) / requests * 100', values: [10, 0, 10], at: [0, 1, 2] },
    { expression: 'IF(FILL(errors, 0) > 0, 1, 0)', values: [1, 0, 1], at: [0, 1, 2] },
    { expression: 'SUM([requests, errors])', values: [11, 20, 44], at: [0, 1, 2] },
    { expression: 'SUM(METRICS())', values: [11, 20, 44], at: [0, 1, 2] },
    { expression: 'RATE(requests)', values: [10 / 60, 20 / 60], at: [1, 2] },
    { expression: '-requests + 2 * (1 + 1)', values: [-6, -16, -36], at: [0, 1, 2] },
    { expression: 'FILL(errors, REPEAT)', values: [1, 1, 4], at: [0, 1, 2] },
    { expression: 'requests / 0', values: [], at: [] },
    { expression: 'AVG(requests)', values: [70 / 3, 70 / 3, 70 / 3], at: [0, 1, 2] },
  ])('$expression', ({ expression, values, at }) => {
    // WHEN the expression runs over the two queries THEN the exact series
    expect(run(expression)).toEqual({ id: 'e', timestamps: at.map((m) => T0 + m * MIN), values });
  });

  it.each([
    { expression: 'errors / ', code: 'SLW_ERR_METRICS_MATH_SYNTAX', message: 'col 10: the expression ends too early' },
    { expression: 'errors $ 2', code: 'SLW_ERR_METRICS_MATH_SYNTAX', message: "col 8: unexpected character '$'" },
    { expression: 'nope * 2', code: 'SLW_ERR_METRICS_MATH_INVALID', message: 'no query or expression with id "nope" (ids: requests, errors)' },
    { expression: 'FOO(errors)', code: 'SLW_ERR_METRICS_MATH_INVALID', message: 'unknown function FOO (use RATE, FILL, IF, SUM, AVG, MIN, MAX, ABS, METRICS)' },
    { expression: 'METRICS()', code: 'SLW_ERR_METRICS_MATH_INVALID', message: 'the expression gives several time series; it must give one time series' },
  ])('refuses $expression', ({ expression, code, message }) => {
    expect(() => run(expression)).toThrow(expect.objectContaining({ code, message }));
  });
});
