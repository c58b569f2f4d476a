import fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ManualClock, openDatabase } from '../core/index.js';
import { resolveApp } from '../shared/index.js';
import type { MetricPoint } from '../telemetry/index.js';
import { createFlags } from './flags.js';
import { flagCredentials } from './ofrep/credentials.js';
import type { FlagChangedEvent } from './store/model.js';

const app = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: { banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] } },
});
const TOKEN = 'flag-credential-gateway-0123456789';
const authenticate = flagCredentials([{ token: TOKEN, caller: { service: 'gateway', environment: 'production' } }]);

describe('createFlags', () => {
  it('migrates and seeds on a fresh database, and keeps the stored state on the next start', () => {
    // GIVEN a database WHEN the context is created twice (two control-plane starts)
    const db = openDatabase(':memory:');
    const events: FlagChangedEvent[] = [];
    const first = createFlags({ db, app, appendEvent: (e) => events.push(e), authenticate, ingestMetricPoints: () => {} });
    first.store.setEnabled('production', 'banner', false, { actor: 'oncall' });
    const second = createFlags({ db, app, appendEvent: (e) => events.push(e), authenticate, ingestMetricPoints: () => {} });
    // THEN the first seeds, the second keeps the flag as it was left (disabled, version 2)
    expect(first.seedReport?.seeded).toEqual([{ environment: 'production', key: 'banner', version: 1 }]);
    expect(second.seedReport).toEqual({ seeded: [], kept: [{ environment: 'production', key: 'banner', version: 2, differsFromModel: false }], notInModel: [] });
    expect(second.store.get('production', 'banner').enabled).toBe(false);
    expect(events.map((e) => e.data.change)).toEqual(['Seeded', 'Disabled']);
  });

  it('serves the store over OFREP and flushes the impressions into telemetry on close', async () => {
    const clock = new ManualClock();
    const points: MetricPoint[] = [];
    const flags = createFlags({ db: openDatabase(':memory:'), app, appendEvent: () => {}, authenticate, ingestMetricPoints: (p) => points.push(...p), clock });
    const server = fastify();
    await flags.routes(server);
    const res = await server.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/banner', headers: { authorization: `Bearer ${TOKEN}` }, payload: { context: { targetingKey: 'u1', plan: 'pro' } } });
    expect(res.json()).toMatchObject({ value: 'on', reason: 'TARGETING_MATCH' });
    flags.close();
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ name: 'feature_flag.impressions', value: 1, attributes: { service: 'gateway', 'feature_flag.key': 'banner', 'feature_flag.result.variant': 'rule-1' } });
    await server.close();
  });

  it('seeds nothing without an app model', () => {
    const flags = createFlags({ db: openDatabase(':memory:'), app: undefined, appendEvent: () => {}, authenticate, ingestMetricPoints: () => {} });
    expect(flags.seedReport).toBeUndefined();
    expect(flags.store.list('production')).toEqual([]);
  });

  it('seeds each environment with its override merged in, and resolves segments named in API writes', async () => {
    // GIVEN a flag at 10 % with production's override at 50 % by accountId, and a segment
    const withOverrides = resolveApp({
      name: 'shop',
      services: { gateway: { path: 'gateway', start: 'node server.js' } },
      environments: { staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
      segments: { internal: { match: { email: { endsWith: '@acme.io' } } } },
      flags: {
        newCheckout: {
          default: false,
          rules: [{ segment: 'internal', value: true }],
          environments: { production: { rules: [{ percentage: 50, stickiness: 'accountId', value: true }] } },
        },
      },
    });
    // WHEN the context is created THEN each environment holds its own definition
    const flags = createFlags({ db: openDatabase(':memory:'), app: withOverrides, appendEvent: () => {}, authenticate, ingestMetricPoints: () => {} });
    expect(flags.store.get('staging', 'newCheckout').flag.rules).toEqual([{ percentage: 100, match: {}, segment: { name: 'internal', match: { email: { endsWith: '@acme.io' } } }, value: true }]);
    expect(flags.store.get('production', 'newCheckout').flag.rules).toEqual([{ percentage: 50, match: {}, stickiness: 'accountId', value: true }]);
    // AND a definition written through the API names the model's segment, or is refused with the path
    const server = fastify();
    flags.apiRoutes(server);
    const put = (rules: unknown[]) => server.inject({ method: 'PUT', url: '/api/v1/flags/staging/banner', payload: { definition: { default: 'off', rules } } });
    const ok = await put([{ segment: 'internal', match: { plan: { in: ['pro', 'team'] } }, value: 'on' }]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ definition: { rules: [{ segment: 'internal', match: { plan: { in: ['pro', 'team'] } }, value: 'on' }] } });
    expect(flags.store.get('staging', 'banner').flag.rules[0]?.segment).toEqual({ name: 'internal', match: { email: { endsWith: '@acme.io' } } });
    // (a bare server: the control plane's error handler would add the issues; the message names the paths)
    const badVersion = await put([{ match: { v: { semverGte: '2' } }, value: 'on' }]);
    expect(badVersion.json()).toMatchObject({ statusCode: 400, code: 'SLW_ERR_FLAG_INVALID', message: expect.stringContaining('body.definition.rules[0].match.v.semverGte: semverGte takes a SemVer 2.0.0 version') });
    const unknownSegment = await put([{ segment: 'external', value: 'on' }]);
    expect(unknownSegment.json()).toMatchObject({ statusCode: 400, code: 'SLW_ERR_FLAG_INVALID', message: expect.stringContaining('body.definition.rules[0].segment: no segment "external"') });
    const perEnvironment = await server.inject({ method: 'PUT', url: '/api/v1/flags/staging/banner', payload: { definition: { default: 'off', environments: { staging: {} } } } });
    expect(perEnvironment.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining('body.definition.environments') });
    await server.close();
  });
});
