import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { MetricPoint } from '../../telemetry/index.js';
import { ImpressionPublisher } from './impression-publisher.js';

const imp = (variant: string, service = 'gateway') => ({ environment: 'production', service, flag: 'newCheckout', variant, reason: 'SPLIT' });

describe('ImpressionPublisher', () => {
  it('publishes a cumulative count per environment, service, flag, variant and reason', () => {
    // GIVEN three impressions of one variant and one of another WHEN flushed THEN two series with their counts
    const clock = new ManualClock();
    const batches: MetricPoint[][] = [];
    const p = new ImpressionPublisher({ sink: (points) => batches.push(points), clock });
    const startMs = clock.now();
    for (let i = 0; i < 3; i++) p.record(imp('rule-1'));
    p.record(imp('default', 'orders'));
    clock.advance(10_000);
    p.forceFlush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((pt) => [pt.attributes.service, pt.attributes['feature_flag.result.variant'], pt.value])).toEqual([
      ['gateway', 'rule-1', 3],
      ['orders', 'default', 1],
    ]);
    expect(batches[0]![0]).toMatchObject({
      name: 'feature_flag.impressions',
      kind: 'Sum',
      temporality: 'Cumulative',
      monotonic: true,
      service: 'slipway-flags',
      startTimeMs: startMs,
      timeMs: startMs + 10_000,
      attributes: { environment: 'production', 'feature_flag.key': 'newCheckout', 'feature_flag.result.reason': 'SPLIT' },
    });
    // AND counts keep adding up across flushes (cumulative, not reset)
    p.record(imp('rule-1'));
    p.forceFlush();
    expect(batches[1]![0]!.value).toBe(4);
  });

  it('publishes nothing before the first impression', () => {
    const batches: MetricPoint[][] = [];
    new ImpressionPublisher({ sink: (points) => batches.push(points) }).forceFlush();
    expect(batches).toEqual([]);
  });

  it('reports a failing sink and keeps the counts for the next flush', () => {
    const errors: unknown[] = [];
    let fail = true;
    const batches: MetricPoint[][] = [];
    const p = new ImpressionPublisher({
      sink: (points) => {
        if (fail) throw new Error('telemetry down');
        batches.push(points);
      },
      onError: (e) => errors.push(e),
    });
    p.record(imp('rule-1'));
    expect(() => p.forceFlush()).not.toThrow();
    expect(errors).toEqual([new Error('telemetry down')]);
    fail = false;
    p.shutdown();
    expect(batches[0]![0]!.value).toBe(1);
  });
});
