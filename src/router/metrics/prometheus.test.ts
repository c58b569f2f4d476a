import { describe, expect, it } from 'vitest';
import { snapshotMetrics } from './snapshot.js';
import { escapeLabel, toPrometheusText } from './prometheus.js';
import { MetricsRegistry } from './target-group-metrics.js';

describe('toPrometheusText', () => {
  it('GIVEN one group with two answers WHEN rendered THEN counters, gauges and the histogram are exact', () => {
    // GIVEN
    const registry = new MetricsRegistry();
    const m = registry.group({ environment: 'prod', service: 'web', revision: 'r1', targetGroup: 'blue' });
    m.requestCount = 3;
    m.healthyHostCount = 2;
    m.recordTargetResponse(200, 0.0008, 1000);
    m.recordTargetResponse(503, 0.3, 1000);
    m.recordElbError(504);
    // WHEN
    const text = toPrometheusText(snapshotMetrics(registry, 2000, 0, 60_000));
    // THEN
    const labels = 'environment="prod",service="web",revision="r1",targetGroup="blue"';
    expect(text).toContain(`# TYPE RequestCount counter\nRequestCount{${labels}} 3\n`);
    expect(text).toContain(`HTTPCode_Target_2XX_Count{${labels}} 1\n`);
    expect(text).toContain(`HTTPCode_Target_5XX_Count{${labels}} 1\n`);
    expect(text).toContain(`HTTPCode_ELB_5XX_Count{${labels}} 1\n`);
    expect(text).toContain(`HTTPCode_ELB_504_Count{${labels}} 1\n`);
    expect(text).toContain(`# TYPE HealthyHostCount gauge\nHealthyHostCount{${labels}} 2\n`);
    expect(text).toContain(`TargetResponseTime_bucket{${labels},le="0.0005"} 0\nTargetResponseTime_bucket{${labels},le="0.001"} 1\n`);
    expect(text).toContain(`TargetResponseTime_bucket{${labels},le="0.25"} 1\nTargetResponseTime_bucket{${labels},le="0.5"} 2\n`);
    expect(text).toContain(`TargetResponseTime_bucket{${labels},le="+Inf"} 2\nTargetResponseTime_sum{${labels}} 0.3008\nTargetResponseTime_count{${labels}} 2\n`);
    expect(text.endsWith('\n')).toBe(true);
  });

  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
  ])('GIVEN label value %j WHEN escaped THEN %j', (value, expected) => {
    expect(escapeLabel(value)).toBe(expected);
  });
});

describe('window percentiles', () => {
  it('GIVEN 100 samples of 1..100 ms WHEN asking over the window THEN exact nearest-rank percentiles; older samples fall out', () => {
    const registry = new MetricsRegistry();
    const m = registry.group({ environment: 'e', service: 's', revision: 'r', targetGroup: 'g' });
    m.recordTargetResponse(200, 5, 0); // outside the window below
    for (let i = 1; i <= 100; i++) m.recordTargetResponse(200, i / 1000, 10_000);
    const w = snapshotMetrics(registry, 20_000, 0, 15_000).targetGroups[0]!.TargetResponseTime.window;
    expect(w).toEqual({ count: 100, p50Seconds: 0.05, p90Seconds: 0.09, p99Seconds: 0.099, windowMs: 15_000 });
  });
});
