import { describe, expect, it } from 'vitest';
import { TargetGroupMetrics } from '../metrics/target-group-metrics.js';
import { UpstreamTarget } from '../proxy/upstream-target.js';
import type { CompiledTargetGroup } from '../table/compiled.js';
import { pickTarget } from './pick-target.js';

function group(outstanding: number[]): CompiledTargetGroup {
  const healthyTargets = outstanding.map((n, i) => {
    const t = new UpstreamTarget(`t${i}`, '127.0.0.1', 1000 + i, {});
    t.outstanding = n;
    return t;
  });
  return { id: 'g', revision: 'r', weightPercent: 100, healthyTargets, metrics: new TargetGroupMetrics({ environment: 'e', service: 's', revision: 'r', targetGroup: 'g' }, 0), cursor: 0 };
}

describe('pickTarget', () => {
  it.each([
    [[3, 1, 2], 't1'],
    [[0, 5, 5], 't0'],
    [[4, 4, 0], 't2'],
  ])('GIVEN outstanding %j WHEN picking THEN the least loaded %s', (outstanding, expected) => {
    expect(pickTarget(group(outstanding))?.id).toBe(expected);
  });

  it('GIVEN equal load WHEN picking repeatedly THEN ties go round-robin', () => {
    const g = group([0, 0, 0]);
    expect([1, 2, 3, 4, 5].map(() => pickTarget(g)?.id)).toEqual(['t0', 't1', 't2', 't0', 't1']);
  });

  it('GIVEN a failed target to exclude and a draining one WHEN picking THEN neither is chosen', () => {
    const g = group([0, 0, 9]);
    g.healthyTargets[1]!.draining = true;
    expect(pickTarget(g, g.healthyTargets[0])?.id).toBe('t2');
  });

  it('GIVEN no target WHEN picking THEN undefined', () => {
    expect(pickTarget(group([]))).toBeUndefined();
  });
});
