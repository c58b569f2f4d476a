import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../metrics/target-group-metrics.js';
import { TargetRegistry } from '../proxy/upstream-target.js';
import { ShadowRegistry } from '../shadow/shadow-recorder.js';
import type { RoutingTableInput } from './schema.js';
import { compileTable } from './compile-table.js';
import type { CompiledService, CompiledTable } from './compiled.js';
import { parseRoutingTable } from './parse-table.js';
import { reweightTable } from './reweight-table.js';
import { withWeights } from './weights.js';

const input: RoutingTableInput = {
  version: 7,
  listeners: [
    { id: 'prod.ingress', kind: 'ingress', environment: 'prod', port: 0, rules: [{ pathPrefix: '/api', service: 'api' }, { pathPrefix: '/', service: 'web' }] },
    { id: 'prod.web', kind: 'service', environment: 'prod', service: 'web', port: 0 },
    { id: 'prod.web.test', kind: 'test', environment: 'prod', service: 'web', port: 0, targetGroupId: 'green' },
    { id: 'prod.api', kind: 'service', environment: 'prod', service: 'api', port: 0 },
  ],
  services: [
    {
      environment: 'prod',
      service: 'web',
      targetGroups: [
        { id: 'blue', revision: 'r1', weightPercent: 50, targets: [{ id: 'b1', port: 1001 }, { id: 'b2', port: 1002, healthy: false }] },
        { id: 'green', revision: 'r2', weightPercent: 50, targets: [{ id: 'g1', port: 1003 }] },
        { id: 'dead', revision: 'r0', weightPercent: 0, targets: [{ id: 'd1', port: 1004, healthy: false }] },
      ],
      headerRules: [{ header: 'x-slipway-canary', value: '1', targetGroupId: 'green' }],
      stickiness: { cookie: 'slw', ttlMs: 60_000 },
      mirror: { targetGroupId: 'dead', percent: 10 },
    },
    { environment: 'prod', service: 'api', targetGroups: [{ id: 'api1', revision: 'a1', weightPercent: 100, targets: [{ id: 'a1', port: 1005 }] }] },
  ],
};

function context() {
  return { targets: new TargetRegistry(), metrics: new MetricsRegistry(() => 0), upstreamTimeoutMs: 30_000, shadows: new ShadowRegistry(), nowMs: () => 0 };
}

/** What the request path reads from a service, by ids and values (object identity aside). */
function selection(s: CompiledService) {
  return {
    groups: s.groups.map((g) => [g.id, g.weightPercent, g.healthyTargets.map((t) => t.id)]),
    weighted: s.weighted.map((g) => g.id),
    cumulativeWeights: s.cumulativeWeights,
    totalWeight: s.totalWeight,
    headerRules: s.headerRules.map((r) => [r.header, r.value, r.group.id]),
    mirror: s.mirror === undefined ? undefined : [s.mirror.group.id, s.mirror.fraction],
    stickiness: s.stickiness?.setCookieByGroup,
  };
}

describe('reweightTable', () => {
  const ctx = context();
  const table = parseRoutingTable(input);
  const before: CompiledTable = compileTable(table, ctx).table;
  const cases: [string, Record<string, number>][] = [
    ['all on blue (a rollback)', { blue: 100, green: 0, dead: 0 }],
    ['all on green', { blue: 0, green: 100, dead: 0 }],
    ['a canary split', { blue: 75, green: 25, dead: 0 }],
    ['weight on a group with no healthy target', { blue: 60, green: 0, dead: 40 }],
  ];
  it.each(cases)('GIVEN %s WHEN reweighted THEN the selection equals compiling the reweighted table', (_name, weights) => {
    const expected = compileTable(withWeights(table, { environment: 'prod', service: 'web', weights }), context()).table;
    const next = reweightTable(before, 'prod', 'web', weights, 8);
    expect(next.version).toBe(8);
    expect(selection(next.services.get('prod/web')!)).toEqual(selection(expected.services.get('prod/web')!));
  });

  it('GIVEN a reweighted service THEN its listeners point at the new service, the others are the same objects', () => {
    // GIVEN the compiled table WHEN web is reweighted
    const next = reweightTable(before, 'prod', 'web', { blue: 100, green: 0, dead: 0 }, 8);
    const web = next.services.get('prod/web')!;
    // THEN every listener reaching web sees the new service, the test listener the new green group
    expect(next.listeners.get('prod.web')!.service).toBe(web);
    expect(next.listeners.get('prod.ingress')!.rules.find((r) => r.pathPrefix === '/')!.service).toBe(web);
    expect(next.listeners.get('prod.web.test')!.testGroup).toBe(web.groupsById.get('green'));
    expect(web.headerRules[0]!.group).toBe(web.groupsById.get('green'));
    expect(web.mirror!.group).toBe(web.groupsById.get('dead'));
    // AND nothing else is rebuilt: api, its listener, targets, metrics and the mirror's in-flight bound are shared
    expect(next.services.get('prod/api')).toBe(before.services.get('prod/api'));
    expect(next.listeners.get('prod.api')).toBe(before.listeners.get('prod.api'));
    expect(next.listeners.get('prod.ingress')!.rules.find((r) => r.pathPrefix === '/api')!.service).toBe(before.services.get('prod/api'));
    const old = before.services.get('prod/web')!;
    expect(web.groups.map((g) => g.healthyTargets)).toEqual(old.groups.map((g) => g.healthyTargets));
    expect(web.groups[0]!.healthyTargets[0]).toBe(old.groups[0]!.healthyTargets[0]);
    expect(web.groups[0]!.metrics).toBe(old.groups[0]!.metrics);
    expect(web.mirror!.state).toBe(old.mirror!.state);
    // AND the table it came from is untouched (in-flight requests keep reading it)
    expect(old.groups.map((g) => g.weightPercent)).toEqual([50, 50, 0]);
    expect(Object.isFrozen(next) && Object.isFrozen(web)).toBe(true);
  });
});

describe('withWeights', () => {
  const table = parseRoutingTable(input);
  it.each([
    ['a fraction', { blue: 99.5, green: 0.5, dead: 0 }, ['weights.blue: expected an integer from 0 to 100, got 99.5', 'weights.green: expected an integer from 0 to 100, got 0.5']],
    ['a sum of 90', { blue: 60, green: 30, dead: 0 }, ['weights: weights of prod/web sum to 90, not 100']],
    ['a negative weight', { blue: 110, green: -10, dead: 0 }, ['weights.blue: expected an integer from 0 to 100, got 110', 'weights.green: expected an integer from 0 to 100, got -10']],
    ['an unknown group', { blue: 100, green: 0, dead: 0, pink: 0 }, ['weights.pink: no target group pink in prod/web']],
  ])('GIVEN %s WHEN applied THEN SLW_ERR_ROUTER_WEIGHTS_INVALID lists the issues', (_name, weights, issues) => {
    let err: unknown;
    try {
      withWeights(table, { environment: 'prod', service: 'web', weights });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'SLW_ERR_ROUTER_WEIGHTS_INVALID' });
    expect((err as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message}`)).toEqual(issues);
  });
});
