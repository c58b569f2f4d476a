import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/** A JSON app definition of services run from `slow-ready.mjs`, each healthy `readyAfterMs` after its start. */
function writeConfig(dir: string, services: Record<string, { readyAfterMs: number; dependsOn?: string[]; gracePeriod?: string }>): string {
  const file = path.join(dir, 'slipway.config.json');
  const app = {
    name: 'ordered',
    services: Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        {
          path: FIXTURES,
          start: 'node slow-ready.mjs',
          env: { READY_AFTER_MS: String(s.readyAfterMs) },
          health: { path: '/healthz', interval: '200ms', timeout: '150ms', healthyThreshold: 1, unhealthyThreshold: 3, gracePeriod: s.gracePeriod ?? '10s' },
          ...(s.dependsOn ? { dependsOn: s.dependsOn } : {}),
        },
      ]),
    ),
    environments: { local: { ingressPort: 0 } },
  };
  fs.writeFileSync(file, JSON.stringify(app, null, 2));
  return file;
}

const of = (events: SlipwayEvent[], type: string, service: string) => events.find((e) => e.type === type && (e.data as { service?: string }).service === service);

describe('start-up in dependency order (services.<name>.dependsOn)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('starts a dependent only once its slow dependency is Healthy, and an independent service right away', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN api depends on db, db takes 1.5 s to pass its health check, and worker depends on nothing
    const configFile = writeConfig(tmp.path, { api: { readyAfterMs: 0, dependsOn: ['db'] }, db: { readyAfterMs: 1500 }, worker: { readyAfterMs: 0 } });
    // WHEN slipway starts the environment
    const cp: ControlPlane = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 50, otlpPort: null, xrayPort: null });
    cleanups.push(() => cp.close({ stopTasks: true }));
    await waitFor('api healthy', () => (cp.runtime!.supervisor.listTasks({ service: 'api', states: ['Healthy'] }).length > 0 ? true : undefined), 20_000);
    const events = cp.events.list({ limit: 1000 });
    const seq = (type: string, service: string) => of(events, type, service)?.seq ?? Number.NaN;
    // THEN api's first task starts only after db's task is Healthy (event-log order), and after its wait is recorded
    expect(seq('task.started', 'db')).toBeLessThan(seq('task.health.changed', 'db'));
    expect(of(events, 'task.health.changed', 'db')?.data).toMatchObject({ to: 'Healthy' });
    expect(seq('service.start.delayed', 'api')).toBeLessThan(seq('task.health.changed', 'db'));
    expect(seq('task.health.changed', 'db')).toBeLessThan(seq('service.dependencies.healthy', 'api'));
    expect(seq('service.dependencies.healthy', 'api')).toBeLessThan(seq('task.started', 'api'));
    expect(of(events, 'service.start.delayed', 'api')?.data).toEqual({ environment: 'local', service: 'api', waitingFor: ['db'] });
    expect((of(events, 'service.dependencies.healthy', 'api')?.data as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(1400);
    // AND worker, which depends on nothing, did not wait for db
    expect(seq('task.started', 'worker')).toBeLessThan(seq('task.health.changed', 'db'));
    expect(of(events, 'service.start.delayed', 'worker')).toBeUndefined();
  });

  it('does not start the dependents of a dependency that never becomes Healthy, and says why', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN api depends on db, and db never passes its health check (budget: 1 s grace + 4 checks of 200 ms + 150 ms)
    const configFile = writeConfig(tmp.path, { api: { readyAfterMs: 0, dependsOn: ['db'] }, db: { readyAfterMs: 3_600_000, gracePeriod: '1s' } });
    const t0 = Date.now();
    // WHEN slipway starts the environment
    const cp: ControlPlane = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 50, otlpPort: null, xrayPort: null });
    cleanups.push(() => cp.close({ stopTasks: true }));
    // THEN start-up gave up on api after db's budget; api has no task and the event says why
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1950);
    const events = cp.events.list({ limit: 1000 });
    expect(of(events, 'service.start.blocked', 'api')?.data).toMatchObject({ environment: 'local', service: 'api', dependency: 'db', reason: 'db was not Healthy within 1950 ms (its health check\'s grace period plus 4 checks)' });
    expect(of(events, 'task.started', 'api')).toBeUndefined();
    expect(cp.runtime!.environments.revisions.list({ environment: 'local', service: 'api' })).toEqual([]);
  });
});
