import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir.js';
import { createTelemetry, type Telemetry } from '../../telemetry/index.js';
import { snapshotMetrics } from '../metrics/snapshot.js';
import { MetricsRegistry } from '../metrics/target-group-metrics.js';
import { routerMetricPoints } from './to-metric-points.js';

/**
 * A target group created after the router started (a canary's new revision) must count from its
 * first scrape: its cumulative series starts when the group did, so a query whose window holds
 * that start takes the first point whole, as OTLP's start time means.
 */
describe('router counters of a group created mid-run', () => {
  let dir: { path: string; cleanup: () => void };
  let telemetry: Telemetry;
  beforeEach(async () => {
    dir = tempDir();
    telemetry = createTelemetry({ dataDir: dir.path, otlpPort: null, xrayPort: null });
    await telemetry.start();
  });
  afterEach(async () => {
    await telemetry.shutdown();
    dir.cleanup();
  });

  it('counts the first scrape of a new revision’s errors in a window from its creation', async () => {
    // GIVEN a router started a minute ago whose old revision was scraped before the window
    const t0 = Math.floor(Date.now() / 10_000) * 10_000 - 60_000;
    let now = t0;
    const registry = new MetricsRegistry(() => now);
    const old = registry.group({ environment: 'prod', service: 'pay', revision: 'r1', targetGroup: 'prod.pay.r1' });
    old.requestCount = 50;
    now = t0 + 20_000;
    telemetry.ingestMetricPoints(routerMetricPoints(snapshotMetrics(registry, now, t0, 60_000)));
    // WHEN a canary's group is created at +27 s, fails 15 requests, and is first scraped at +29 s
    now = t0 + 27_000;
    const canary = registry.group({ environment: 'prod', service: 'pay', revision: 'bad', targetGroup: 'prod.pay.bad' });
    for (let i = 0; i < 15; i++) {
      canary.requestCount++;
      canary.recordTargetResponse(500, 0.01, now);
    }
    old.requestCount += 45;
    now = t0 + 29_000;
    telemetry.ingestMetricPoints(routerMetricPoints(snapshotMetrics(registry, now, t0, 60_000)));
    await telemetry.forceFlush();
    // THEN the window from the canary's start to +31 s counts all 15 errors and all 60 new requests
    const sum = (name: string) => telemetry.queryMetric({ name, dimensions: { environment: 'prod', service: 'pay' }, stat: 'Sum', periodMs: 1000, startMs: t0 + 26_500, endMs: t0 + 31_000 }).values.reduce((a, b) => a + b, 0);
    expect(sum('HTTPCode_Target_5XX_Count')).toBe(15);
    expect(sum('RequestCount')).toBe(60);
    // AND a window that starts after the canary's group did has no baseline for its first point: not counted
    expect(telemetry.queryMetric({ name: 'HTTPCode_Target_5XX_Count', dimensions: { revision: 'bad' }, stat: 'Sum', periodMs: 1000, startMs: t0 + 28_000, endMs: t0 + 31_000 }).values).toEqual([]);
  });
});
