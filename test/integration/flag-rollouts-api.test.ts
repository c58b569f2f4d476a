import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { FlagRollouts, StaticAlarmSource, deploymentMigrations, flagRolloutRoutes } from '../../src/deployments/index.js';
import { FlagTokens, bucketOf, createFlags, rolloutSalt, type Flags } from '../../src/flags/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp } from '../../src/shared/index.js';
import { TEST_TOKEN, auth } from '../support/server.js';

// The flag rollouts API through buildServer() and inject(), with the OFREP routes and the snapshot
// serving the in-flight state: what it answers, how it refuses, what it records.

const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080, rollbackOn: ['gateway-5xx'] } },
  alarms: { 'gateway-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'gateway', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
  flags: { newCheckout: { default: false }, banner: { default: 'off' } },
});

let db: Db;
let events: EventLog;
let flags: Flags;
let rollouts: FlagRollouts;
let app: FastifyInstance;
const alarms = new StaticAlarmSource();
const clock = new ManualClock(Date.UTC(2026, 2, 1));
const tokens = new FlagTokens('flag-rollouts-api-test-signing-secret-0123');
const flagToken = { authorization: `Bearer ${tokens.tokenFor('production', 'gateway')}` };

beforeAll(async () => {
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...deploymentMigrations] });
  events = new EventLog(db, { clock });
  flags = createFlags({ db, app: model, appendEvent: (e) => void events.append(e), authenticate: tokens.check, ingestMetricPoints: () => {}, clock });
  rollouts = new FlagRollouts({ app: model, db, flags: flags.store, events, alarms, clock });
  app = await buildServer({ events, token: TEST_TOKEN, dashboardDir: null, routes: [flags.routes, flags.apiRoutes, flagRolloutRoutes(rollouts)] });
});
afterAll(async () => {
  rollouts.close();
  await app.close();
  db.close();
});

const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
const keys = Array.from({ length: 400 }, (_, i) => `user-${i}`);

describe('the flag rollouts API', () => {
  it('starts a canary rollout; OFREP and the snapshot serve the new definition to the rollout share only', async () => {
    // GIVEN newCheckout off for everyone WHEN a canary rollout to "on" starts at 25 %
    const res = await call('POST', '/api/v1/flags/production/newCheckout/rollouts', { definition: { default: true }, strategy: { type: 'canary', steps: [25, 50, 100], interval: '1m' }, by: 'ana' });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ environment: 'production', key: 'newCheckout', state: 'InProgress', strategy: 'Canary', percent: 25, stepIndex: 0, fromVersion: 1, toVersion: null, actor: 'ana', watchedAlarms: ['gateway-5xx'], plan: [{ percent: 25, bakeMs: 60_000 }, { percent: 50, bakeMs: 60_000 }, { percent: 100, bakeMs: 0 }] });
    // THEN each key gets the new value exactly when its bucket under rollout:<id> is below 25 %
    const bulk = await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags', headers: flagToken, payload: { context: { targetingKey: 'user-1' } } });
    expect(bulk.statusCode).toBe(200);
    for (const key of keys.slice(0, 40)) {
      const one = await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/newCheckout', headers: flagToken, payload: { context: { targetingKey: key } } });
      expect(one.json().value).toBe(bucketOf(rolloutSalt(r.id), key) < 25_000);
    }
    const snapshot = await app.inject({ method: 'GET', url: '/flags/v1/snapshot', headers: flagToken });
    expect(snapshot.json().flags.find((f: { flag: { key: string } }) => f.flag.key === 'newCheckout')).toMatchObject({ version: 1, rollout: { id: r.id, percent: 25, flag: { defaultValue: true } } });
    // AND the flag shows the rollout; a plain change is refused while it is in flight
    expect((await call('GET', '/api/v1/flags/production/newCheckout')).json()).toMatchObject({ version: 1, rollout: { id: r.id, percent: 25 } });
    const put = await call('PUT', '/api/v1/flags/production/newCheckout', { definition: { default: true } });
    expect([put.statusCode, put.json().error.code]).toEqual([409, 'SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS']);
  });

  it('lists, shows, pauses, resumes and promotes', async () => {
    const [r] = (await call('GET', '/api/v1/flag-rollouts')).json().rollouts;
    expect((await call('GET', '/api/v1/flags/production/newCheckout/rollouts')).json().rollouts.map((x: { id: number }) => x.id)).toEqual([r.id]);
    expect((await call('GET', '/api/v1/flag-rollouts?environment=production&key=banner')).json().rollouts).toEqual([]);
    expect((await call('POST', `/api/v1/flag-rollouts/${r.id}/pause`, { by: 'bo' })).json().state).toBe('Paused');
    expect((await call('POST', `/api/v1/flag-rollouts/${r.id}/resume`)).json().state).toBe('InProgress');
    const promoted = (await call('POST', `/api/v1/flag-rollouts/${r.id}/promote`)).json();
    expect(promoted).toMatchObject({ state: 'Succeeded', percent: 100, toVersion: 2 });
    expect((await call('GET', `/api/v1/flag-rollouts/${r.id}`)).json().state).toBe('Succeeded');
    expect((await call('GET', '/api/v1/flags/production/newCheckout')).json()).toMatchObject({ version: 2, definition: { default: true } });
    expect(events.list({ subject: `flag-rollout/${r.id}` }).map((e) => e.type)).toEqual(['flag.rollout.started', 'flag.rollout.paused', 'flag.rollout.resumed', 'flag.rollout.promoted', 'flag.rollout.succeeded']);
  });

  it('an alarm reverts a rollout, and OFREP serves the previous definition to everyone at once', async () => {
    const r = (await call('POST', '/api/v1/flags/production/banner/rollouts', { definition: { default: 'on' }, strategy: { type: 'canary', steps: [50, 100], interval: '1m' } })).json();
    alarms.set('gateway-5xx', 'ALARM');
    alarms.set('gateway-5xx', 'OK');
    expect((await call('GET', `/api/v1/flag-rollouts/${r.id}`)).json()).toMatchObject({ state: 'RolledBack', percent: 0, rollback: { trigger: 'alarm', alarms: ['gateway-5xx'] } });
    for (const key of keys.slice(0, 40)) {
      const one = await app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/banner', headers: flagToken, payload: { context: { targetingKey: key } } });
      expect(one.json()).toMatchObject({ value: 'off', metadata: { version: 1 } });
    }
  });

  it.each([
    // GIVEN each bad request THEN the status, the code and the field that is wrong
    ['steps not increasing', { definition: { default: 'x' }, strategy: { type: 'canary', steps: [50, 25, 100], interval: '1s' } }, 400, 'SLW_ERR_FLAG_ROLLOUT_INVALID', 'body.strategy.steps'],
    ['a step over 100', { definition: { default: 'x' }, strategy: { type: 'canary', steps: [5, 150], interval: '1s' } }, 400, 'SLW_ERR_FLAG_ROLLOUT_INVALID', 'body.strategy.steps'],
    ['a strategy that moves tasks', { definition: { default: 'x' }, strategy: { type: 'blueGreen' } }, 400, 'SLW_ERR_FLAG_ROLLOUT_INVALID', 'body.strategy'],
    ['a value of another type', { definition: { default: true } }, 400, 'SLW_ERR_FLAG_ROLLOUT_INVALID', 'body.definition.default'],
    ['a rule value of another type than the default', { definition: { default: 'x', rules: [{ value: 3 }] } }, 400, 'SLW_ERR_FLAG_INVALID', 'body.definition.rules[0].value'],
    ['the definition already served', { definition: { default: 'off' } }, 400, 'SLW_ERR_FLAG_ROLLOUT_INVALID', 'body.definition'],
  ] as const)('refuses %s', async (_what, payload, status, code, field) => {
    const res = await call('POST', '/api/v1/flags/production/banner/rollouts', payload);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    expect(res.json().error.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('refuses an unknown flag, an unknown environment and an unknown rollout', async () => {
    const flag = await call('POST', '/api/v1/flags/production/nope/rollouts', { definition: { default: true } });
    const env = await call('POST', '/api/v1/flags/qa/banner/rollouts', { definition: { default: 'on' } });
    const none = await call('POST', '/api/v1/flag-rollouts/999/abort');
    expect([flag.statusCode, flag.json().error.code, env.statusCode, env.json().error.code, none.statusCode, none.json().error.code]).toEqual([404, 'SLW_ERR_FLAG_NOT_FOUND', 404, 'SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND', 404, 'SLW_ERR_FLAG_ROLLOUT_NOT_FOUND']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/flag-rollouts' })).statusCode).toBe(401);
  });
});
