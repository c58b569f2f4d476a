import { describe, expect, it } from 'vitest';
import type { RouterMetricsSnapshot } from '../metrics/snapshot.js';
import { routerMetricPoints } from './to-metric-points.js';

describe('routerMetricPoints', () => {
  it('publishes ALB names: cumulative counters, host gauges, and TargetResponseTime as a per-bucket histogram in seconds', () => {
    // GIVEN a snapshot of one target group and one listener
    const snapshot = {
      timestampMs: 2000,
      startedAtMs: 1000,
      targetGroups: [
        {
          dimensions: { environment: 'prod', service: 'web', revision: 'r2', targetGroup: 'prod.web.r2' },
          startedAtMs: 1500,
          RequestCount: 10,
          HTTPCode_Target_2XX_Count: 8,
          HTTPCode_Target_3XX_Count: 0,
          HTTPCode_Target_4XX_Count: 1,
          HTTPCode_Target_5XX_Count: 1,
          HTTPCode_ELB_5XX_Count: 0,
          HTTPCode_ELB_502_Count: 0,
          HTTPCode_ELB_503_Count: 0,
          HTTPCode_ELB_504_Count: 0,
          MirroredRequestCount: 0,
          HealthyHostCount: 2,
          UnHealthyHostCount: 1,
          TargetResponseTime: { buckets: [{ le: 0.01, count: 6 }, { le: 0.1, count: 9 }, { le: '+Inf', count: 10 }], sumSeconds: 0.42, count: 10, window: { windowMs: 60000 } },
        },
      ],
      listeners: [{ listener: 'prod.ingress', environment: 'prod', service: '', startedAtMs: 1000, ActiveConnectionCount: 3, NewConnectionCount: 7, HTTPCode_ELB_4XX_Count: 1 }],
    } as unknown as RouterMetricsSnapshot;
    // WHEN converted
    const points = routerMetricPoints(snapshot);
    const byName = new Map(points.map((p) => [`${p.name}:${String(p.attributes.listener ?? p.attributes.targetGroup)}`, p]));
    // THEN counters are cumulative monotonic sums with the four dimensions, starting when their group did
    expect(byName.get('RequestCount:prod.web.r2')).toMatchObject({ kind: 'Sum', temporality: 'Cumulative', monotonic: true, value: 10, timeMs: 2000, startTimeMs: 1500, service: 'slipway-router', attributes: { environment: 'prod', service: 'web', revision: 'r2', targetGroup: 'prod.web.r2' } });
    expect(byName.get('HTTPCode_Target_5XX_Count:prod.web.r2')?.value).toBe(1);
    expect(byName.get('UnHealthyHostCount:prod.web.r2')).toMatchObject({ kind: 'Gauge', value: 1 });
    // AND the histogram counts per bucket, not cumulatively
    expect(byName.get('TargetResponseTime:prod.web.r2')).toMatchObject({ kind: 'Histogram', unit: 's', histogram: { count: 10, sum: 0.42, bucketCounts: [6, 3, 1], explicitBounds: [0.01, 0.1] } });
    expect(byName.get('ActiveConnectionCount:prod.ingress')).toMatchObject({ kind: 'Gauge', value: 3 });
    expect(points).toHaveLength(9 + 2 + 1 + 3);
  });
});
