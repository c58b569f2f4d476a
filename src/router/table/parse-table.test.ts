import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { simpleTable } from '../testing.js';
import { parseRoutingTable } from './parse-table.js';
import { withWeights } from './weights.js';

function issuesOf(input: unknown): string[] {
  try {
    parseRoutingTable(input);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('SLW_ERR_ROUTER_TABLE_INVALID');
    return (err as InputError).issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('parseRoutingTable', () => {
  it.each([
    ['weights not summing to 100', simpleTable(1, [{ id: 'a', weightPercent: 60, ports: [1] }, { id: 'b', weightPercent: 30, ports: [2] }]), ['services[0].targetGroups: weights of prod/web sum to 90, not 100']],
    ['a header rule to an unknown group', simpleTable(1, [{ id: 'a', weightPercent: 100, ports: [1] }], { headerRules: [{ header: 'x-canary', value: '1', targetGroupId: 'zz' }] }), ['services[0].headerRules[0].targetGroupId: no target group zz']],
    ['a fractional weight', simpleTable(1, [{ id: 'a', weightPercent: 99.5, ports: [1] }, { id: 'b', weightPercent: 0.5, ports: [2] }]), ['services[0].targetGroups[0].weightPercent: invalid input: expected int, received number', 'services[0].targetGroups[1].weightPercent: invalid input: expected int, received number']],
    ['a valid table', simpleTable(1, [{ id: 'a', weightPercent: 100, ports: [1] }]), []],
  ])('GIVEN %s WHEN parsed THEN the issues are listed', (_name, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it('GIVEN a test listener without a group WHEN parsed THEN it is refused', () => {
    const t = simpleTable(1, [{ id: 'a', weightPercent: 100, ports: [1] }]);
    expect(issuesOf({ ...t, listeners: [{ id: 't', port: 0, kind: 'test', environment: 'prod', service: 'web' }] })).toEqual(['listeners[0].targetGroupId: a test listener needs a target group of web']);
  });
});

describe('withWeights', () => {
  const table = parseRoutingTable(simpleTable(3, [{ id: 'a', weightPercent: 100, ports: [1] }, { id: 'b', weightPercent: 0, ports: [2] }]));
  it('GIVEN new weights WHEN applied THEN the version goes up by one and the weights change', () => {
    const next = withWeights(table, { environment: 'prod', service: 'web', weights: { a: 90, b: 10 } });
    expect([next.version, next.services[0]!.targetGroups.map((g) => g.weightPercent)]).toEqual([4, [90, 10]]);
  });
  it('GIVEN weights missing a group WHEN applied THEN SLW_ERR_ROUTER_WEIGHTS_INVALID names it', () => {
    expect(() => withWeights(table, { environment: 'prod', service: 'web', weights: { a: 100 } })).toThrow(expect.objectContaining({ code: 'SLW_ERR_ROUTER_WEIGHTS_INVALID', issues: [{ path: 'weights.b', message: 'missing; give every group of prod/web (a, b)' }] }));
  });
});
