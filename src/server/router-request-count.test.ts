import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routerMetricPoints, type RouterMetricsSnapshot } from '../router/index.js';
import { createTelemetry, type Telemetry } from '../telemetry/index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { routerRequestCount } from './router-request-count.js';

/** A router snapshot with cumulative request counts per revision of `web`, from a router started at `startedAtMs`. */
function snapshot(startedAtMs: number, timestampMs: number, counts: Record<string, number>): RouterMetricsSnapshot {
  const group = (revision: string, n: number) => ({
    dimensions: { environment: 'prod', service: 'web', revision, targetGroup: `prod.web.${revision}` },
    startedAtMs,
    RequestCount: n,
    HTTPCode_Target_2XX_Count: n,
    HTTPCode_Target_3XX_Count: 0,
    HTTPCode_Target_4XX_Count: 0,
    HTTPCode_Target_5XX_Count: 0,
    HTTPCode_ELB_5XX_Count: 0,
    HTTPCode_ELB_502_Count: 0,
    HTTPCode_ELB_503_Count: 0,
    HTTPCode_ELB_504_Count: 0,
    MirroredRequestCount: 0,
    HealthyHostCount: 1,
    UnHealthyHostCount: 0,
    TargetResponseTime: { buckets: [{ le: '+Inf' as const, count: n }], sumSeconds: 0, count: n, window: { p50: 0, p90: 0, p99: 0, windowMs: 60_000 } },
  });
  return { timestampMs, startedAtMs, targetGroups: Object.entries(counts).map(([r, n]) => group(r, n)), listeners: [] } as unknown as RouterMetricsSnapshot;
}

describe('routerRequestCount', () => {
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

  it('sums the RequestCount the router published for the revision within the window, from cumulative counters', async () => {
    // GIVEN scrapes at +10 s, +20 s, +30 s (a recent minute) with r1 at 100 → 160 → 250 requests and r2 at 0 → 5 → 5
    const t = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    telemetry.ingestMetricPoints(routerMetricPoints(snapshot(t, t + 10_000, { r1: 100, r2: 0 })));
    telemetry.ingestMetricPoints(routerMetricPoints(snapshot(t, t + 20_000, { r1: 160, r2: 5 })));
    telemetry.ingestMetricPoints(routerMetricPoints(snapshot(t, t + 30_000, { r1: 250, r2: 5 })));
    await telemetry.forceFlush();
    const count = routerRequestCount(telemetry);
    // WHEN r1 is counted over the 15 s up to 31 s THEN only the two scrapes in it count: 60 + 90
    expect(count({ environment: 'prod', service: 'web', revision: 'r1' }, { startMs: t + 16_000, endMs: t + 31_000 })).toBe(150);
    // AND r2 on its own: 5, then nothing new
    expect(count({ environment: 'prod', service: 'web', revision: 'r2' }, { startMs: t + 16_000, endMs: t + 31_000 })).toBe(5);
    // AND a window with no scrape in it, or a revision the router never counted, has no measurement
    expect(count({ environment: 'prod', service: 'web', revision: 'r1' }, { startMs: t + 40_000, endMs: t + 50_000 })).toBeUndefined();
    expect(count({ environment: 'prod', service: 'web', revision: 'r9' }, { startMs: t + 16_000, endMs: t + 31_000 })).toBeUndefined();
  });
});
