import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, eventMigrations, openDatabase, type Db } from '../core/index.js';
import type { HealthCheckSpec } from './model.js';
import { dependencyTimeoutMs, startInDependencyOrder, type StartUnit } from './start-order.js';

const health: HealthCheckSpec = { path: '/healthz', intervalMs: 10, timeoutMs: 5, healthyThreshold: 1, unhealthyThreshold: 2, gracePeriodMs: 20 };

describe('dependencyTimeoutMs', () => {
  it.each([
    // GIVEN the defaults (5s interval, 2s timeout, 2 up, 3 down, 10s grace) THEN 10 + 5 × 5 + 2 = 37 s
    [{ path: '/', intervalMs: 5000, timeoutMs: 2000, healthyThreshold: 2, unhealthyThreshold: 3, gracePeriodMs: 10_000 }, 37_000],
    // GIVEN no grace and one check each way THEN two intervals and a timeout
    [{ path: '/', intervalMs: 1000, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 1, gracePeriodMs: 0 }, 2500],
  ])('gives a dependency its health check’s own budget (%#)', (h, expected) => {
    expect(dependencyTimeoutMs(h)).toBe(expected);
  });
});

describe('startInDependencyOrder', () => {
  let db: Db;
  let events: EventLog;
  let log: string[];
  let healthy: Set<string>;
  const timers: NodeJS.Timeout[] = [];
  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: eventMigrations });
    events = new EventLog(db);
    log = [];
    healthy = new Set();
  });
  afterEach(() => {
    for (const t of timers.splice(0)) clearTimeout(t);
    db.close();
  });

  const unit = (name: string, dependsOn: string[] = [], running = false): StartUnit => ({ name, dependsOn, health, running });
  /** Starts a service for real as far as ordering goes: it turns healthy `afterMs` later, announced by an event. */
  const starter = (healthyAfterMs: Record<string, number | null>) => async (name: string) => {
    log.push(`start ${name}`);
    const after = healthyAfterMs[name];
    if (after === null) return;
    timers.push(setTimeout(() => {
      healthy.add(name);
      log.push(`healthy ${name}`);
      events.append({ type: 'custom.test.healthy', subject: `task/${name}`, data: { to: 'Healthy' } });
    }, after ?? 0));
  };

  it('starts independent services together and a dependent only after its dependency is healthy', async () => {
    // GIVEN api → db (healthy 30 ms after its start, within its 55 ms budget) and a worker that depends on nothing
    const result = await startInDependencyOrder({
      environment: 'prod',
      services: [unit('api', ['db']), unit('db'), unit('worker')],
      start: starter({ db: 30, api: 0, worker: 0 }),
      isHealthy: (s) => healthy.has(s),
      events,
    });
    // THEN db and worker start at once, api only once db is healthy
    expect(log.slice(0, 2).sort()).toEqual(['start db', 'start worker']);
    expect(log.indexOf('start api')).toBeGreaterThan(log.indexOf('healthy db'));
    expect(result).toEqual({ started: expect.arrayContaining(['db', 'worker', 'api']), blocked: [] });
    // AND the waiting is in the event log, in order
    const types = events.list({ subject: 'service/prod/api' }).map((e) => [e.type, e.data]);
    expect(types).toEqual([
      ['service.start.delayed', { environment: 'prod', service: 'api', waitingFor: ['db'] }],
      ['service.dependencies.healthy', { environment: 'prod', service: 'api', dependsOn: ['db'], waitedMs: expect.any(Number) }],
    ]);
  });

  it('blocks the dependents of a dependency that never becomes healthy, after its health check’s budget', async () => {
    // GIVEN web → api → db, and db never healthy
    const t0 = Date.now();
    const result = await startInDependencyOrder({
      environment: 'prod',
      services: [unit('web', ['api']), unit('api', ['db']), unit('db')],
      start: starter({ db: null }),
      isHealthy: (s) => healthy.has(s),
      events,
    });
    // THEN neither api nor web starts; each says why; the wait lasted about db's budget
    expect(log).toEqual(['start db']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(dependencyTimeoutMs(health) - 5);
    expect(result.started).toEqual(['db']);
    expect(result.blocked.map((b) => b.service).sort()).toEqual(['api', 'web']);
    const blocked = events.list({ type: 'service.start.blocked' }).map((e) => e.data as { service: string; dependency: string; reason: string });
    expect(blocked.find((b) => b.service === 'api')).toMatchObject({ dependency: 'db', reason: `db was not Healthy within ${dependencyTimeoutMs(health)} ms (its health check's grace period plus 3 checks)` });
    expect(blocked.find((b) => b.service === 'web')).toMatchObject({ dependency: 'api', reason: expect.stringContaining('api was not started (db was not Healthy') });
  });

  it('does not start what runs already, yet waits for it to be healthy', async () => {
    // GIVEN db runs already (adopted) and turns healthy a little later
    timers.push(setTimeout(() => {
      healthy.add('db');
      events.append({ type: 'custom.test.healthy', subject: 'task/db', data: {} });
    }, 30));
    const result = await startInDependencyOrder({ environment: 'prod', services: [unit('api', ['db']), unit('db', [], true)], start: starter({}), isHealthy: (s) => healthy.has(s), events });
    // THEN only api is started, after db is healthy
    expect(log).toEqual(['start api']);
    expect(result).toEqual({ started: ['api'], blocked: [] });
  });

  it('rethrows a failed start once the rest is done, and blocks its dependents', async () => {
    const run = startInDependencyOrder({
      environment: 'prod',
      services: [unit('api', ['db']), unit('db'), unit('worker')],
      start: async (name) => {
        log.push(`start ${name}`);
        if (name === 'db') throw new Error('no such folder');
      },
      isHealthy: () => false,
      events,
    });
    await expect(run).rejects.toThrow('no such folder');
    expect(log.sort()).toEqual(['start db', 'start worker']);
    expect(events.list({ type: 'service.start.blocked' }).map((e) => e.data)).toEqual([
      { environment: 'prod', service: 'api', dependency: 'db', reason: 'db was not started (its start failed: no such folder)', waitedMs: expect.any(Number) },
    ]);
  });
});
