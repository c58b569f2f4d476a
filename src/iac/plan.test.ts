import { describe, expect, it } from 'vitest';
import { resolveApp } from '../shared/index.js';
import { desiredResources, planChanges } from './index.js';

// A two-service app as a user writes it; each test changes it as a commit would.
function definition() {
  return {
    name: 'shop',
    services: {
      web: { path: 'services/web', start: 'node server.js', ingress: { pathPrefix: '/' }, scaling: { min: 1, max: 4 } },
      api: { path: 'services/api', start: 'node server.js', ingress: { pathPrefix: '/api' } },
    },
    environments: {
      staging: { ingressPort: 8080, strategy: 'CodeDeployDefault.AllAtOnce' },
      production: { ingressPort: 8081, strategy: 'CodeDeployDefault.AllAtOnce' },
    },
    alarms: {} as Record<string, unknown>,
  };
}

const plan = (before: unknown, after: unknown) => planChanges(desiredResources(resolveApp(after)), desiredResources(resolveApp(before)));

describe('planChanges', () => {
  it('finds no change between a model and itself, with a stable fingerprint', () => {
    const a = plan(definition(), definition());
    expect(a.changes).toEqual([]);
    expect(a.destructive).toEqual([]);
    expect(a.liveFingerprint).toBe(plan(definition(), definition()).liveFingerprint);
  });

  it('an added alarm, a raised minimum and a switched strategy change exactly the resources they touch, each with its effect, in dependency order', () => {
    const after = definition();
    after.alarms['web-5xx'] = { service: 'web', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 1 };
    after.services.web.scaling.min = 2;
    after.environments.production.strategy = 'CodeDeployDefault.ECSCanary10Percent5Minutes';
    const { changes } = plan(definition(), after);
    expect(changes.map((c) => [c.order, c.action, c.resourceId, c.effect])).toEqual([
      [1, 'Modify', 'env/production', 'in-place'],
      [2, 'Modify', 'service/production/web', 'in-place'],
      [3, 'Modify', 'service/staging/web', 'in-place'],
      [4, 'Add', 'alarm/web-5xx', 'in-place'],
    ]);
    const scaling = changes.find((c) => c.resourceId === 'service/staging/web')!.attributes;
    expect(scaling).toEqual([{ path: 'scaling.min', old: 1, new: 2, effect: 'in-place' }]);
    // The alarm comes after the services it watches.
    const order = (id: string) => changes.find((c) => c.resourceId === id)!.order;
    expect(order('alarm/web-5xx')).toBeGreaterThan(order('service/production/web'));
  });

  it('a changed start command rolls the service; a moved ingress path replaces it', () => {
    const after = definition();
    after.services.api.start = 'node --enable-source-maps server.js';
    after.services.web.ingress.pathPrefix = '/shop';
    const { changes } = plan(definition(), after);
    const effect = (id: string) => changes.find((c) => c.resourceId === id)?.effect;
    expect(effect('service/staging/api')).toBe('rolling');
    expect(effect('service/staging/web')).toBe('replacement');
  });

  it('a flag is a resource per environment, with that environment\'s override; what it serves rolls, its description does not', () => {
    const before = { ...definition(), flags: { beta: { default: false, description: 'beta' } } };
    const after = { ...definition(), flags: { beta: { default: false, description: 'the beta', environments: { production: { rules: [{ percentage: 5, value: true }] } } } } };
    const { changes } = plan(before, after);
    expect(changes.map((c) => [c.action, c.resourceId, c.effect, c.attributes.map((a) => [a.path, a.effect])])).toEqual([
      ['Modify', 'flag/production/beta', 'rolling', [['description', 'in-place'], ['rules', 'rolling']]],
      ['Modify', 'flag/staging/beta', 'in-place', [['description', 'in-place']]],
    ]);
    expect(plan(definition(), before).changes.map((c) => [c.action, c.resourceId])).toEqual([
      ['Add', 'flag/production/beta'],
      ['Add', 'flag/staging/beta'],
    ]);
  });

  it('on-call is one resource after the topics it posts to: a changed rotation modifies it in place', () => {
    const withOncall = (members: string[]) => ({
      ...definition(),
      notifications: { team: [{ type: 'webhook', url: 'https://hooks.example.com/team' }] },
      oncall: {
        users: Object.fromEntries(['alice', 'bob'].map((u) => [u, { contact: [{ type: 'webhook', url: `https://hooks.example.com/${u}` }] }])),
        schedules: { primary: { timeZone: 'Europe/Berlin', layers: [{ members, rotation: 'weekly', start: '2026-01-05' }] } },
        escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '10m' }, { targets: [{ topic: 'team' }], escalateAfter: '10m' }] } },
        policyBySeverity: { SEV1: 'standard' },
      },
    });
    const resource = desiredResources(resolveApp(withOncall(['alice']))).find((r) => r.id === 'oncall/main');
    expect(resource).toMatchObject({ type: 'oncall', dependsOn: ['topic/team'] });
    // Added with the model that first has it, after its topic
    expect(plan(definition(), withOncall(['alice'])).changes.map((c) => [c.action, c.resourceId])).toEqual([
      ['Add', 'topic/team'],
      ['Add', 'oncall/main'],
    ]);
    // A new member of the rotation is a change of that schedule's layers, nothing else
    const { changes } = plan(withOncall(['alice']), withOncall(['alice', 'bob']));
    expect(changes.map((c) => [c.action, c.resourceId, c.effect, c.attributes.map((a) => a.path)])).toEqual([['Modify', 'oncall/main', 'in-place', ['schedules.primary.layers']]]);
  });

  it('a rename is a remove and an add, flagged as destructive', () => {
    const { api, ...rest } = definition().services;
    const after = { ...definition(), services: { ...rest, backend: api } };
    const set = plan(definition(), after);
    expect(set.changes.filter((c) => c.type === 'service').map((c) => [c.action, c.resourceId])).toEqual(
      expect.arrayContaining([
        ['Add', 'service/staging/backend'],
        ['Remove', 'service/staging/api'],
      ]),
    );
    expect(set.destructive.join('\n')).toContain('in staging, api removed and backend added');
  });
});
