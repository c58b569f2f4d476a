import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import { auth, testServer } from '../../../test/support/server.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { EventLog, eventMigrations, openDatabase, type Db } from '../../core/index.js';
import type { DeploymentEngine, LocalEnvironments } from '../../deployments/index.js';
import { SqliteSecretStore, secretMigrations } from '../../pipelines/index.js';
import { resolveApp } from '../../shared/index.js';
import { secretRoutes } from './secrets.js';

const VALUE = 'pay-key-0f9e8d7c6b';

describe('/api/v1/secrets', () => {
  const app = resolveApp(validDefinition());
  let db: Db;
  let events: EventLog;
  let tmp: { path: string; cleanup: () => void };
  let server: Awaited<ReturnType<typeof testServer>>;
  // The gateway serves revision r1 with PAYMENT_API_KEY@1 in every environment; deployments are recorded.
  const started: unknown[] = [];
  const environments = {
    describe: (environment: string, service: string) => ({
      environment,
      service,
      revisions: [{ revision: 'r1', weightPercent: 100, testTraffic: false, desiredCount: 1, sourceDir: '/src', env: {}, secrets: { PAYMENT_API_KEY: 1 }, health: { desiredCount: 1, healthyCount: 1, routed: true, failureStreak: 0 } }],
    }),
  } as unknown as LocalEnvironments;
  const deployments = { service: { start: (...args: unknown[]) => (started.push(args), { id: started.length }) } } as unknown as DeploymentEngine;

  beforeAll(async () => {
    tmp = tempDir();
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...secretMigrations] });
    events = new EventLog(db);
    const store = new SqliteSecretStore({ db, keyFile: path.join(tmp.path, 'key') });
    server = await testServer({ events, routes: [secretRoutes({ app, store, events, environments, deployments })] });
  });
  afterAll(async () => {
    await server?.close();
    db?.close();
    tmp?.cleanup();
  });

  it('sets versions write-only, rolls the services that declare the secret, lists without values and refuses removing a declared one', async () => {
    // GIVEN nothing set WHEN PAYMENT_API_KEY is set THEN version 1; no rotation, the gateway already runs version 1
    const first = await server.app.inject({ method: 'PUT', url: '/api/v1/secrets/PAYMENT_API_KEY', headers: auth, payload: { value: VALUE } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ name: 'PAYMENT_API_KEY', version: 1, usedBy: ['gateway'], rotations: [] });
    // WHEN it is set again THEN version 2, and one deployment per environment of the gateway, with the rotation's reason
    const second = await server.app.inject({ method: 'PUT', url: '/api/v1/secrets/PAYMENT_API_KEY', headers: auth, payload: { value: `${VALUE}-2` } });
    const envs = Object.keys(app.environments);
    expect(second.json()).toMatchObject({ version: 2, rotations: envs.map((environment, i) => ({ environment, service: 'gateway', deploymentId: i + 1, error: null })) });
    expect(started[0]).toEqual([{ service: 'gateway', environment: envs[0], revision: 'r1', sourceDir: '/src', env: {} }, 'Deploy', null, { reason: 'secret PAYMENT_API_KEY rotated to version 2' }]);
    // AND the list shows names, versions and users
    const list = await server.app.inject({ method: 'GET', url: '/api/v1/secrets', headers: auth });
    expect(list.json()).toMatchObject({ secrets: [{ name: 'PAYMENT_API_KEY', version: 2, usedBy: ['gateway'] }] });
    // AND no answer and no event holds the value
    const types = events.list({}).map((e) => e.type);
    expect(types).toEqual(['secret.set', 'secret.set', 'secret.rotated']);
    for (const text of [first.body, second.body, list.body, JSON.stringify(events.list({}))]) expect(text).not.toContain(VALUE);
    // WHEN a declared secret is removed THEN 409 naming the service
    const rm = await server.app.inject({ method: 'DELETE', url: '/api/v1/secrets/PAYMENT_API_KEY', headers: auth });
    expect(rm.statusCode).toBe(409);
    expect(rm.json()).toMatchObject({ error: { code: 'SLW_ERR_PIPELINE_SECRET_IN_USE' } });
    expect(rm.body).toContain('services.gateway.secrets');
  });

  it('removes an undeclared secret, and answers bad input with what and where', async () => {
    await server.app.inject({ method: 'PUT', url: '/api/v1/secrets/SPARE_KEY', headers: auth, payload: { value: 'spare-value' } });
    const rm = await server.app.inject({ method: 'DELETE', url: '/api/v1/secrets/SPARE_KEY', headers: auth });
    expect(rm.json()).toMatchObject({ name: 'SPARE_KEY', version: 1, usedBy: [] });
    expect((await server.app.inject({ method: 'DELETE', url: '/api/v1/secrets/SPARE_KEY', headers: auth })).statusCode).toBe(404);
    // GIVEN a name that is not an environment variable name THEN 400 saying so
    const bad = await server.app.inject({ method: 'PUT', url: '/api/v1/secrets/ci%2Ftoken', headers: auth, payload: { value: 'whatever-1' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'SLW_ERR_PIPELINE_SECRET_INVALID' } });
    expect(bad.body).toContain('is not a valid environment variable name');
    // GIVEN a value too short to mask THEN 400 with its length, and the value is not echoed
    const short = await server.app.inject({ method: 'PUT', url: '/api/v1/secrets/PIN', headers: auth, payload: { value: 'ab1' } });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('3 characters long');
    expect(short.body).not.toContain('ab1');
    // AND without the token nothing is answered
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/secrets' })).statusCode).toBe(401);
  });
});
