import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { FlagTokens, createFlags, type Flags } from '../../src/flags/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp } from '../../src/shared/index.js';
import type { FastifyInstance } from 'fastify';
import { TEST_TOKEN, auth } from '../support/server.js';

// The flags API through buildServer() and inject(): what it answers, how it refuses, what it records.

const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
  flags: { banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] } },
});

let db: Db;
let events: EventLog;
let flags: Flags;
let app: FastifyInstance;
const clock = new ManualClock(Date.UTC(2026, 2, 1));

beforeAll(async () => {
  db = openDatabase(':memory:', { migrations: eventMigrations });
  events = new EventLog(db, { clock });
  const tokens = new FlagTokens('flags-api-test-signing-secret-0123456789');
  flags = createFlags({ db, app: model, appendEvent: (e) => void events.append(e), authenticate: tokens.check, ingestMetricPoints: () => {}, clock });
  app = await buildServer({ events, token: TEST_TOKEN, dashboardDir: null, routes: [flags.routes, flags.apiRoutes] });
});
afterAll(async () => {
  await app.close();
  db.close();
});

const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

describe('the flags API', () => {
  it('lists every environment of the model with its flags', async () => {
    const res = await call('GET', '/api/v1/flags');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ environments: { name: string; flags: { key: string; version: number; enabled: boolean; updatedAt: string; definition: unknown }[] }[] }>();
    expect(body.environments.map((e) => e.name)).toEqual(['staging', 'production']);
    expect(body.environments[1]!.flags).toEqual([
      { environment: 'production', key: 'banner', version: 1, enabled: true, updatedAt: '2026-03-01T00:00:00.000Z', definition: { default: 'off', variants: null, rules: [{ percentage: 100, match: { plan: 'pro' }, value: 'on' }], description: null } },
    ]);
  });

  it('creates a flag with PUT, changes nothing when the same definition is put again, and shows the history', async () => {
    // WHEN a new flag is put twice with the same definition, then updated
    const definition = { default: 3, rules: [{ match: { country: 'NL' }, percentage: 50, value: 5 }] };
    const created = await call('PUT', '/api/v1/flags/staging/retries', { definition, by: 'ana' });
    const again = await call('PUT', '/api/v1/flags/staging/retries', { definition, by: 'ana' });
    clock.advance(1000);
    const updated = await call('PUT', '/api/v1/flags/staging/retries', { definition: { default: 4 } });
    // THEN two versions, the second by the default actor; one event per version
    expect([created.statusCode, created.json().version, again.json().version, updated.json().version]).toEqual([200, 1, 1, 2]);
    const detail = (await call('GET', '/api/v1/flags/staging/retries')).json<{ history: { version: number; change: string; actor: string; time: string }[] }>();
    expect(detail.history.map((v) => [v.version, v.change, v.actor, v.time])).toEqual([
      [2, 'Updated', 'api', '2026-03-01T00:00:01.000Z'],
      [1, 'Created', 'ana', '2026-03-01T00:00:00.000Z'],
    ]);
    expect((await call('GET', '/api/v1/flags/staging/retries?limit=1')).json().history).toHaveLength(1);
    expect(events.list({ type: 'flag.changed' }).filter((e) => e.subject === 'flag/staging/retries').map((e) => e.data.change)).toEqual(['Created', 'Updated']);
  });

  it.each([
    // GIVEN each bad request THEN the status, the code and the field that is wrong
    ['an unknown environment', 'PUT', '/api/v1/flags/qa/banner', { definition: { default: 'off' } }, 404, 'SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND', undefined],
    ['an unknown flag', 'GET', '/api/v1/flags/staging/nope', undefined, 404, 'SLW_ERR_FLAG_NOT_FOUND', undefined],
    ['disabling an unknown flag', 'POST', '/api/v1/flags/staging/nope/disable', undefined, 404, 'SLW_ERR_FLAG_NOT_FOUND', undefined],
    ['a key the model would refuse', 'PUT', '/api/v1/flags/staging/9lives', { definition: { default: 'off' } }, 400, 'SLW_ERR_FLAG_INVALID', 'params.key'],
    ['no definition', 'PUT', '/api/v1/flags/staging/banner', {}, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition'],
    ['an unknown field', 'PUT', '/api/v1/flags/staging/banner', { definition: { default: 'off', rule: [] } }, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition.rule'],
    ['a percentage above 100', 'PUT', '/api/v1/flags/staging/banner', { definition: { default: 'off', rules: [{ percentage: 101, value: 'on' }] } }, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition.rules[0].percentage'],
    ['a rule value of another type', 'PUT', '/api/v1/flags/staging/banner', { definition: { default: 'off', rules: [{ value: true }] } }, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition.rules[0].value'],
    ['a default that names no variant', 'PUT', '/api/v1/flags/staging/banner', { definition: { default: 'blue', variants: { red: { hex: '#f00' } } } }, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition.default'],
    ['a bad limit', 'GET', '/api/v1/flags/staging/banner?limit=0', undefined, 400, 'SLW_ERR_FLAG_INVALID', 'query.limit'],
  ] as const)('refuses %s', async (_what, method, url, payload, status, code, field) => {
    const res = await call(method, url, payload);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    if (field !== undefined) expect(res.json().error.issues.map((i: { path: string }) => i.path)).toContain(field);
    // AND nothing was stored
    expect(flags.store.get('staging', 'banner').version).toBe(1);
  });

  it('disables and enables (the kill switch), each change once', async () => {
    const off = await call('POST', '/api/v1/flags/production/banner/disable', { by: 'oncall' });
    const offAgain = await call('POST', '/api/v1/flags/production/banner/disable');
    expect([off.json().enabled, off.json().version, offAgain.json().version]).toEqual([false, 2, 2]);
    const on = await call('POST', '/api/v1/flags/production/banner/enable');
    expect([on.json().enabled, on.json().version]).toEqual([true, 3]);
    expect(events.list({ type: 'flag.changed' }).filter((e) => e.subject === 'flag/production/banner').map((e) => [e.data.change, e.data.actor])).toEqual([
      ['Seeded', 'app-model'],
      ['Disabled', 'oncall'],
      ['Enabled', 'api'],
    ]);
  });

  it('is closed to anonymous callers', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/flags' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/v1/flags/production/banner/disable' })).statusCode).toBe(401);
    expect(flags.store.get('production', 'banner').enabled).toBe(true);
  });
});
