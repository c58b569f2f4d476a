import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase } from '../../src/core/index.js';
import { createAlarms, type Alarms } from '../../src/alarms/index.js';
import { createTelemetry, type MetricPoint, type MetricQuery, type Telemetry } from '../../src/telemetry/index.js';
import type { ResolvedAlarm } from '../../src/shared/index.js';
import { MINUTE, T0, metricAlarm } from './alarms-harness.js';

// GIVEN a real telemetry store with 12 latency series (3 services × 4 environments) over 40
// minutes, one point every 5 s, and alarms of every statistic, several periods and M of N on them.
const SERVICES = ['gateway', 'orders', 'catalog'];
const ENVS = ['production', 'staging', 'dev', 'test'];

function points(): MetricPoint[] {
  let seed = 5;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const out: MetricPoint[] = [];
  for (let t = T0; t < T0 + 40 * MINUTE; t += 5000) {
    SERVICES.forEach((service, s) =>
      ENVS.forEach((environment, e) => {
        // Some series go quiet for a while (missing data), some spike.
        if ((s + e) % 5 === 0 && t > T0 + 20 * MINUTE && t < T0 + 26 * MINUTE) return;
        const spike = (s * 4 + e) % 3 === 0 && t > T0 + 30 * MINUTE ? 80 : 0;
        const value = 100 + spike + Math.round(rand() * 400) / 10;
        out.push({ name: 'Latency', unit: 'ms', description: '', kind: 'Gauge', service, resource: {}, attributes: { environment }, timeMs: t, value, origin: 'Internal' });
      }),
    );
  }
  return out;
}

function alarms(): ResolvedAlarm[] {
  const out: ResolvedAlarm[] = [];
  const stats = ['Average', 'p99', 'p50', 'Maximum', 'Minimum', 'Sum', 'SampleCount'];
  SERVICES.forEach((service, s) =>
    ENVS.forEach((environment, e) => {
      stats.forEach((stat, k) => {
        const periodMs = [MINUTE, 10_000, 5 * MINUTE][(s + e + k) % 3] ?? MINUTE;
        const threshold = stat === 'Sum' ? 1500 * (periodMs / 10_000) : stat === 'SampleCount' ? (periodMs / 5000) * 0.9 : 125;
        out.push(
          metricAlarm(`${service}-${environment}-${stat}`, {
            metric: 'Latency', service, environment, stat, periodMs, threshold,
            evaluationPeriods: 1 + ((s + k) % 4), datapointsToAlarm: 1 + ((s + k) % 2 === 0 ? 0 : 1),
            treatMissingData: (['missing', 'breaching', 'notBreaching', 'ignore'] as const)[(e + k) % 4] ?? 'missing',
          } as Parameters<typeof metricAlarm>[1]),
        );
      });
      // A second alarm on the same query, with another threshold: it shares the read.
      out.push(metricAlarm(`${service}-${environment}-avg-low`, { metric: 'Latency', service, environment, stat: 'Average', threshold: 110, evaluationPeriods: 3, datapointsToAlarm: 2 }));
    }),
  );
  return out;
}

describe('one alarm round with shared queries', () => {
  let dir: string;
  let telemetry: Telemetry;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-alarms-shared-'));
    telemetry = createTelemetry({ dataDir: dir, otlpPort: null, xrayPort: null, clock: new ManualClock(T0 + 40 * MINUTE), retention: { metricsMs: 365 * 86_400_000 } });
    await telemetry.start();
    telemetry.ingestMetricPoints(points());
    await telemetry.forceFlush();
  });
  afterAll(async () => {
    await telemetry.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function context(shared: boolean, calls: { one: number; many: number }): { alarms: Alarms; close: () => Promise<void> } {
    const db = openDatabase(':memory:', { migrations: eventMigrations });
    const clock = new ManualClock(T0);
    const events = new EventLog(db, { clock });
    const queryMetric = (q: MetricQuery) => {
      calls.one++;
      return telemetry.queryMetric(q);
    };
    const queryMetrics = (qs: readonly MetricQuery[]) => {
      calls.many++;
      return telemetry.queryMetrics(qs);
    };
    const app = { alarms: Object.fromEntries(alarms().map((a) => [a.name, a])), notifications: {} };
    const a = createAlarms({ db, events, clock, app, telemetry: shared ? { queryMetric, queryMetrics } : { queryMetric } });
    return { alarms: a, close: async () => { await a.close(); db.close(); } };
  }

  it('gives every alarm the state, reason and counts it gets when each query runs alone', async () => {
    const sharedCalls = { one: 0, many: 0 };
    const aloneCalls = { one: 0, many: 0 };
    const shared = context(true, sharedCalls);
    const alone = context(false, aloneCalls);
    let changes = 0;
    // WHEN both evaluate the same rounds, every 30 s for 25 minutes
    for (let now = T0 + 12 * MINUTE + 1000; now < T0 + 37 * MINUTE; now += 30_000) {
      const [a, b] = [await shared.alarms.evaluateNow(now), await alone.alarms.evaluateNow(now)];
      expect(a).toEqual(b);
      changes += a.changed;
      // THEN every alarm has the same state and reason after each round
      expect(shared.alarms.list()).toEqual(alone.alarms.list());
    }
    // (the rounds did move alarms, through OK, ALARM and INSUFFICIENT_DATA)
    expect(changes).toBeGreaterThan(20);
    expect(new Set(shared.alarms.list().map((x) => x.state))).toEqual(new Set(['OK', 'ALARM']));
    // AND the shared side asked telemetry once per round, never per query
    expect(sharedCalls).toEqual({ one: 0, many: 50 });
    expect(aloneCalls.many).toBe(0);
    expect(aloneCalls.one).toBeGreaterThan(50 * 12);
    await shared.close();
    await alone.close();
  });
});
