import { describe, expect, it } from 'vitest';
import { ManualClock, migrate, openDatabase } from '../../../core/index.js';
import type { MetricOrigin, MetricPoint } from '../../model/index.js';
import { telemetryMigrations } from '../../store/migrations.js';
import { deleteExpired } from '../../store/retention.js';
import { memoryStore } from '../../store/test-fixtures/make.js';
import { wrapDatabase } from '../../store/telemetry-store.js';
import { EXACT_PERCENTILE_MAX_SAMPLES } from './metric-reader.js';
import { queryMetric, queryMetrics, type MetricQuery } from './query-metric.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const STATS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p0', 'p50', 'p90', 'p99', 'p99.9', 'p100'];

interface Sample {
  readonly t: number;
  readonly v: number;
  readonly route: string;
  readonly origin: MetricOrigin;
}

function point(s: Sample): MetricPoint {
  return { name: 'latency', unit: 'ms', description: '', kind: 'Gauge', service: 'gateway', resource: {}, attributes: { route: s.route }, timeMs: s.t, value: s.v, origin: s.origin };
}

/** Reference statistics of a period in plain array code (nearest rank for percentiles). */
function reference(values: readonly number[], stat: string): number {
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

function expectedSeries(samples: readonly Sample[], q: MetricQuery): Map<number, number[]> {
  const byPeriod = new Map<number, number[]>();
  for (const s of samples) {
    if (s.t < q.startMs || s.t >= q.endMs || (s.origin === 'Anonymous' && q.includeAnonymous !== true)) continue;
    if (q.dimensions?.route !== undefined && s.route !== q.dimensions.route) continue;
    const p = Math.floor(s.t / q.periodMs) * q.periodMs;
    byPeriod.set(p, [...(byPeriod.get(p) ?? []), s.v]);
  }
  return byPeriod;
}

// GIVEN 30 minutes of three gauge series: busy minutes (> the exact limit) and quiet ones, negative
// values, zeros, some anonymous points, and points that arrive late in their minute.
function workload(): Sample[] {
  let seed = 11;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const out: Sample[] = [];
  for (let m = 0; m < 30; m++) {
    const n = m % 3 === 0 ? 1500 : 40;
    for (let i = 0; i < n; i++) {
      const v = i % 50 === 0 ? 0 : Math.round((rand() * 2000 - 200) * 100) / 100;
      out.push({ t: T0 + m * MIN + Math.floor(rand() * MIN), v, route: `/r${i % 3}`, origin: i % 17 === 0 ? 'Anonymous' : 'Authenticated' });
    }
  }
  return out;
}

describe('metric rollups', () => {
  const samples = workload();
  const store = memoryStore();
  // Two writes: the second half lands in minutes the first already rolled up.
  const half = Math.floor(samples.length / 2);
  store.write({ spans: [], logs: [], points: samples.filter((_, i) => i % 2 === 0).slice(0, half).map(point) });
  store.write({ spans: [], logs: [], points: samples.filter((_, i) => i % 2 === 1).map(point) });
  store.write({ spans: [], logs: [], points: samples.filter((_, i) => i % 2 === 0).slice(half).map(point) });

  const windows = [
    { periodMs: MIN, startMs: T0, endMs: T0 + 30 * MIN },
    { periodMs: MIN, startMs: T0 + 17_123, endMs: T0 + 29 * MIN + 4_321 },
    { periodMs: 5 * MIN, startMs: T0 + 2 * MIN + 500, endMs: T0 + 30 * MIN },
    { periodMs: 10_000, startMs: T0 + 3 * MIN, endMs: T0 + 6 * MIN },
  ];
  const cases = windows.flatMap((w) => STATS.flatMap((stat) => [{ ...w, stat }, { ...w, stat, includeAnonymous: true }, { ...w, stat, dimensions: { route: '/r1' } }]));

  it.each(cases)('$stat per $periodMs ms over [$startMs, $endMs) (anonymous: $includeAnonymous, $dimensions) agrees with the points', (c) => {
    // WHEN the query reads rollups for whole minutes and the points for the rest
    const q: MetricQuery = { name: 'latency', ...c };
    const got = queryMetric(store.db, q);
    const want = expectedSeries(samples, q);
    // THEN every period is there; moments are exact, percentiles exact where a period is small
    expect(got.timestamps).toEqual([...want.keys()].sort((a, b) => a - b));
    got.timestamps.forEach((t, i) => {
      const values = want.get(t) ?? [];
      const exact = reference(values, c.stat);
      const v = got.values[i] as number;
      if (!c.stat.startsWith('p') || values.length <= EXACT_PERCENTILE_MAX_SAMPLES || c.periodMs % MIN !== 0) expect(v).toBeCloseTo(exact, 6);
      else expect(Math.abs(v - exact)).toBeLessThanOrEqual(0.01 * Math.abs(exact) + 1e-9);
    });
  });

  it('reads every sample for a percentile when asked for exact values', () => {
    const q: MetricQuery = { name: 'latency', stat: 'p99', periodMs: MIN, startMs: T0, endMs: T0 + 30 * MIN, exact: true };
    const want = expectedSeries(samples, q);
    expect(queryMetric(store.db, q).values).toEqual([...want.keys()].sort((a, b) => a - b).map((t) => reference(want.get(t) ?? [], 'p99')));
  });

  it('does not share a read between an exact and a sketched percentile', () => {
    const q: MetricQuery = { name: 'latency', stat: 'p99', periodMs: MIN, startMs: T0, endMs: T0 + 30 * MIN };
    const [sketched, exact] = queryMetrics(store.db, [q, { ...q, exact: true }]);
    expect(exact).toEqual(queryMetric(store.db, { ...q, exact: true }));
    expect(sketched).toEqual(queryMetric(store.db, q));
    expect(sketched).not.toEqual(exact);
  });

  it('answers a batch as each query alone, sharing reads between statistics of one series', () => {
    const qs: MetricQuery[] = cases.slice(0, 40).map((c) => ({ name: 'latency', ...c }));
    expect(queryMetrics(store.db, qs)).toEqual(qs.map((q) => queryMetric(store.db, q)));
  });
});

describe('rollups of an existing store', () => {
  it('are not backfilled: minutes before the migration read the points, later ones the rollups', () => {
    // GIVEN a store written before rollups existed
    const db = openDatabase(':memory:', { migrations: telemetryMigrations.slice(0, 5) });
    db.prepare("INSERT INTO metric_series (id, name, service, kind, monotonic, unit, dimensions, origin) VALUES (1, 'latency', 'gateway', 'Gauge', 0, 'ms', ?, 1)").run(
      JSON.stringify({ route: '/r0', service: 'gateway' }),
    );
    const insert = db.prepare('INSERT INTO metric_points (series_id, time_ms, value, origin) VALUES (1, ?, ?, 1)');
    for (let i = 0; i < 120; i++) insert.run(T0 + i * 1000, i);
    // WHEN it is migrated and more points arrive after the migration's minute
    migrate(db, telemetryMigrations);
    const from = (db.prepare("SELECT value FROM telemetry_settings WHERE key = 'rollups_from_ms'").get() as { value: number }).value;
    expect(from).toBeGreaterThan(T0 + 120_000);
    expect(from % MIN).toBe(0);
    const store = wrapDatabase(db, new ManualClock());
    store.write({ spans: [], logs: [], points: [point({ t: from + 5_000, v: 1000, route: '/r0', origin: 'Authenticated' })] });
    // THEN old minutes come from the points, the new one from its rollup
    expect(db.prepare('SELECT count(*) AS n FROM metric_rollups').get()).toEqual({ n: 1 });
    const sums = queryMetric(db, { name: 'latency', stat: 'Sum', periodMs: 3_600_000, startMs: T0, endMs: from + MIN });
    expect(sums.values).toEqual([(0 + 119) * 60, 1000]);
  });

  it('are deleted with their points, whole minutes at a time', () => {
    const store = memoryStore();
    store.write({ spans: [], logs: [], points: [0, 30_000, 70_000, 130_000].map((dt) => point({ t: T0 + dt, v: 1, route: '/r0', origin: 'Authenticated' })) });
    // WHEN retention runs with its limit in the middle of the second minute
    deleteExpired(store.db, { metricsMs: 1 }, T0 + 90_001);
    // THEN the first minute goes (points and rollup); the second stays whole
    expect(store.db.prepare('SELECT count(*) AS n FROM metric_points').get()).toEqual({ n: 2 });
    expect(store.db.prepare('SELECT minute_ms FROM metric_rollups ORDER BY minute_ms').all()).toEqual([{ minute_ms: T0 + MIN }, { minute_ms: T0 + 2 * MIN }]);
    expect(queryMetric(store.db, { name: 'latency', stat: 'SampleCount', periodMs: MIN, startMs: T0, endMs: T0 + 3 * MIN }).values).toEqual([1, 1]);
  });
});
