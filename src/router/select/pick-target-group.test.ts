import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../metrics/target-group-metrics.js';
import { TargetRegistry } from '../proxy/upstream-target.js';
import { compileTable } from '../table/compile-table.js';
import { ShadowRegistry } from '../shadow/shadow-recorder.js';
import type { CompiledService } from '../table/compiled.js';
import { parseRoutingTable } from '../table/parse-table.js';
import { simpleTable } from '../testing.js';
import { cookieValue, groupAtFraction, hashFraction, pickTargetGroup } from './pick-target-group.js';

function compile(groups: { id: string; weightPercent: number; ports: number[] }[], extra = {}): CompiledService {
  const { table } = compileTable(parseRoutingTable(simpleTable(1, groups, extra)), { targets: new TargetRegistry(), metrics: new MetricsRegistry(), upstreamTimeoutMs: 1000, shadows: new ShadowRegistry(), nowMs: () => 0 });
  return table.services.get('prod/web')!;
}

/** A deterministic random source cycling through `values`. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('groupAtFraction', () => {
  const service = compile([
    { id: 'blue', weightPercent: 90, ports: [1] },
    { id: 'green', weightPercent: 10, ports: [2] },
  ]);
  it.each([
    [0, 'blue'],
    [0.5, 'blue'],
    [0.8999, 'blue'],
    [0.9, 'green'],
    [0.9999, 'green'],
  ])('GIVEN 90/10 WHEN the fraction is %d THEN %s', (fraction, expected) => {
    expect(groupAtFraction(service, fraction)?.id).toBe(expected);
  });

  it('GIVEN 75/25 and 10 000 evenly spread fractions WHEN picking THEN exactly 7500/2500', () => {
    const s = compile([
      { id: 'a', weightPercent: 75, ports: [1] },
      { id: 'b', weightPercent: 25, ports: [2] },
    ]);
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[pickTargetGroup(s, {}, () => i / 10_000).group!.id]! += 1;
    expect(counts).toEqual({ a: 7500, b: 2500 });
  });

  it('GIVEN a group with weight but no healthy target WHEN picking THEN the weights renormalise over the others', () => {
    const { table } = compileTable(
      parseRoutingTable({
        ...simpleTable(1, [
          { id: 'a', weightPercent: 50, ports: [1] },
          { id: 'b', weightPercent: 30, ports: [2] },
          { id: 'c', weightPercent: 20, ports: [3] },
        ]),
        services: [
          {
            environment: 'prod',
            service: 'web',
            targetGroups: [
              { id: 'a', revision: 'r1', weightPercent: 50, targets: [{ id: 'a0', port: 1, healthy: false }] },
              { id: 'b', revision: 'r2', weightPercent: 30, targets: [{ id: 'b0', port: 2 }] },
              { id: 'c', revision: 'r3', weightPercent: 20, targets: [{ id: 'c0', port: 3 }] },
            ],
          },
        ],
      }),
      { targets: new TargetRegistry(), metrics: new MetricsRegistry(), upstreamTimeoutMs: 1000, shadows: new ShadowRegistry(), nowMs: () => 0 },
    );
    const s = table.services.get('prod/web')!;
    expect(s.totalWeight).toBe(50);
    expect([0, 0.59, 0.6, 0.99].map((f) => groupAtFraction(s, f)?.id)).toEqual(['b', 'b', 'c', 'c']);
  });
});

describe('pickTargetGroup', () => {
  it('GIVEN a header rule WHEN the header matches THEN its group wins over the weights', () => {
    const s = compile(
      [
        { id: 'blue', weightPercent: 100, ports: [1] },
        { id: 'green', weightPercent: 0, ports: [2] },
      ],
      { headerRules: [{ header: 'X-Slipway-Canary', value: '1', targetGroupId: 'green' }] },
    );
    expect(pickTargetGroup(s, { 'x-slipway-canary': '1' }, sequence([0])).group?.id).toBe('green');
    expect(pickTargetGroup(s, { 'x-slipway-canary': '0' }, sequence([0])).group?.id).toBe('blue');
  });

  it('GIVEN cookie stickiness WHEN a new user arrives THEN the group is chosen by weight and a cookie is set', () => {
    const s = compile(
      [
        { id: 'a', weightPercent: 50, ports: [1] },
        { id: 'b', weightPercent: 50, ports: [2] },
      ],
      { stickiness: { cookie: 'slw_ab', ttlMs: 60_000 } },
    );
    const first = pickTargetGroup(s, {}, sequence([0.7]));
    expect(first.group?.id).toBe('b');
    expect(first.setCookie).toBe('slw_ab=b; Max-Age=60; Path=/; HttpOnly; SameSite=Lax');
    // THEN the user comes back with the cookie and stays on b whatever the dice say
    for (const r of [0, 0.1, 0.4]) {
      const again = pickTargetGroup(s, { cookie: 'theme=dark; slw_ab=b' }, sequence([r]));
      expect([again.group?.id, again.setCookie]).toEqual(['b', undefined]);
    }
  });

  it('GIVEN a sticky cookie naming a group whose weight went to 0 WHEN the user returns THEN they are moved and re-pinned', () => {
    const s = compile(
      [
        { id: 'a', weightPercent: 100, ports: [1] },
        { id: 'b', weightPercent: 0, ports: [2] },
      ],
      { stickiness: { cookie: 'slw_ab', ttlMs: 60_000 } },
    );
    const choice = pickTargetGroup(s, { cookie: 'slw_ab=b' }, sequence([0.5]));
    expect([choice.group?.id, choice.setCookie]).toEqual(['a', 'slw_ab=a; Max-Age=60; Path=/; HttpOnly; SameSite=Lax']);
  });

  it('GIVEN header stickiness WHEN the same user id comes twice THEN it lands on the same group', () => {
    const s = compile(
      [
        { id: 'a', weightPercent: 50, ports: [1] },
        { id: 'b', weightPercent: 50, ports: [2] },
      ],
      { stickiness: { header: 'x-user-id', ttlMs: 60_000 } },
    );
    const expected = hashFraction('user-42') < 0.5 ? 'a' : 'b';
    expect(pickTargetGroup(s, { 'x-user-id': 'user-42' }, sequence([0])).group?.id).toBe(expected);
    expect(pickTargetGroup(s, { 'x-user-id': 'user-42' }, sequence([0.99])).group?.id).toBe(expected);
  });

  it('GIVEN no group with weight and a healthy target WHEN picking THEN there is no group', () => {
    const s = compile([{ id: 'a', weightPercent: 100, ports: [] }]);
    expect(pickTargetGroup(s, {}, sequence([0])).group).toBeUndefined();
  });
});

describe('cookieValue', () => {
  it.each([
    ['slw=b', 'b'],
    ['a=1; slw=b; c=2', 'b'],
    ['xslw=a; slw=b', 'b'],
    ['a=1', undefined],
    [undefined, undefined],
  ])('GIVEN cookie header %s WHEN reading slw THEN %s', (header, expected) => {
    expect(cookieValue(header, 'slw=')).toBe(expected);
  });
});
