import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/index.js';
import { createRouter, parseRoutingTable, RouterClient, startAdminServer, type RoutingTable, type RoutingTableInput } from '../../router/index.js';
import { deploymentMigrations } from '../store/migrations.js';
import { RevisionStore } from '../store/revision-store.js';
import { RoutingStateStore } from '../store/routing-state-store.js';
import type { RoutableTask } from './routing-table.js';
import { TrafficController } from './traffic-controller.js';

/** A router stand-in that records applied tables, as the admin API would. */
function fakeRouter(initial?: RoutingTable) {
  const applied: RoutingTableInput[] = [];
  let current = initial;
  const client = {
    table: async () => ({ table: current ?? null, status: { version: current?.version ?? -1, listeners: [], drainingTargets: [] } }),
    applyTable: async (t: RoutingTableInput) => {
      applied.push(t);
      current = parseRoutingTable(t);
      return { applied: true, status: { version: t.version, listeners: [], drainingTargets: [] } };
    },
  } as unknown as RouterClient;
  return { client, applied };
}

describe('TrafficController', () => {
  let db: Db;
  let tasks: RoutableTask[];
  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: deploymentMigrations });
    new RevisionStore(db).upsert({ environment: 'prod', service: 'web', revision: 'a', sourceDir: '/app', desiredCount: 1, createdAtMs: 1, weightPercent: 100 });
    tasks = [{ id: 't1', environment: 'prod', service: 'web', revision: 'a', port: 5001, state: 'Healthy' }];
  });
  afterEach(() => db.close());
  const controller = (router: RouterClient) =>
    new TrafficController({
      router,
      revisions: new RevisionStore(db),
      state: new RoutingStateStore(db),
      environments: () => [{ name: 'prod', ingressPort: 8080, testPort: 0, ingressRules: [{ pathPrefix: '/', service: 'web' }], servicePorts: { web: 4001 } }],
      tasks: () => tasks,
    });

  it('pushes a new version only when the routing changes, and reports which tasks are routed', async () => {
    const router = fakeRouter();
    const tc = controller(router.client);
    // GIVEN a first sync WHEN nothing changes and it syncs again THEN only one table was pushed
    expect(await tc.sync()).toEqual({ pushed: true, version: 1 });
    expect(await tc.sync()).toEqual({ pushed: false, version: 1 });
    expect(tc.routes(['t1'])).toBe(true);
    // WHEN the task starts stopping THEN the next sync removes it, with the next version
    tasks = [{ ...tasks[0]!, state: 'Stopping' }];
    expect(await tc.sync()).toEqual({ pushed: true, version: 2 });
    expect(tc.routes(['t1'])).toBe(false);
    expect(router.applied.map((t) => t.version)).toEqual([1, 2]);
  });

  it('after a control-plane restart, pushes nothing when the router already serves the routing, and moves on from its version', async () => {
    // GIVEN a router serving version 41 of exactly this routing
    const first = fakeRouter();
    await controller(first.client).sync();
    const served = parseRoutingTable({ ...first.applied[0]!, version: 41 });
    const router = fakeRouter(served);
    const tc = controller(router.client);
    // WHEN a new controller syncs THEN it pushes nothing
    expect(await tc.sync()).toEqual({ pushed: false, version: 41 });
    // AND its next change is version 42
    tasks = [];
    expect(await tc.sync()).toEqual({ pushed: true, version: 42 });
  });

  it('serializes concurrent syncs so versions never go backwards', async () => {
    const router = fakeRouter();
    const tc = controller(router.client);
    const results = await Promise.all([tc.sync(), tc.sync(), tc.sync()]);
    expect(results.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(router.applied).toHaveLength(1);
  });
});

describe('TrafficController.syncWeights (a real router, in process)', () => {
  let db: Db;
  let tasks: RoutableTask[];
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: deploymentMigrations });
    const revisions = new RevisionStore(db);
    revisions.upsert({ environment: 'prod', service: 'web', revision: 'a', sourceDir: '/app', desiredCount: 1, createdAtMs: 1, weightPercent: 100 });
    revisions.upsert({ environment: 'prod', service: 'web', revision: 'b', sourceDir: '/app', desiredCount: 1, createdAtMs: 2, weightPercent: 0 });
    tasks = [
      { id: 'ta', environment: 'prod', service: 'web', revision: 'a', port: 5001, state: 'Healthy' },
      { id: 'tb', environment: 'prod', service: 'web', revision: 'b', port: 5002, state: 'Healthy' },
    ];
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    db.close();
  });
  async function setup() {
    const router = createRouter({ drainTimeoutMs: 50 });
    const admin = await startAdminServer(router, { token: 'tok' });
    const client = new RouterClient({ url: `http://127.0.0.1:${admin.port}`, token: 'tok' });
    cleanups.push(() => router.close(), () => admin.close(), () => client.close());
    const tc = new TrafficController({
      router: client,
      revisions: new RevisionStore(db),
      state: new RoutingStateStore(db),
      environments: () => [{ name: 'prod', ingressPort: 0, testPort: 0, ingressRules: [{ pathPrefix: '/', service: 'web' }], servicePorts: { web: 0 } }],
      tasks: () => tasks,
    });
    await tc.sync();
    return { router, tc };
  }

  it('GIVEN only the weights changed WHEN synced for them THEN the router gets setWeights, and the next whole table follows its version', async () => {
    const { router, tc } = await setup();
    // WHEN the store's weights move and the controller syncs them
    new RevisionStore(db).setWeights('prod', 'web', { a: 0, b: 100 });
    // THEN only the weights went to the router, which serves them at the next version
    expect(await tc.syncWeights('prod', 'web')).toEqual({ pushed: true, version: 2, weightsOnly: true });
    expect(router.verifyWeights('prod', 'web')).toMatchObject({ version: 2, weights: { 'prod.web.a': 0, 'prod.web.b': 100 } });
    expect(new RoutingStateStore(db).routerVersion()).toBe(2);
    // AND nothing is left to push
    expect(await tc.sync()).toEqual({ pushed: false, version: 2 });
    // AND a structural change afterwards is a whole table with a newer version, accepted by the router
    tasks = [tasks[1]!];
    expect(await tc.sync()).toEqual({ pushed: true, version: 3 });
    expect(router.table()?.services[0]?.targetGroups.map((g) => g.targets.length)).toEqual([0, 1]);
  });

  it('GIVEN a task changed too WHEN weights are synced THEN the whole table is pushed', async () => {
    const { router, tc } = await setup();
    new RevisionStore(db).setWeights('prod', 'web', { a: 0, b: 100 });
    tasks = [tasks[1]!, { id: 'tb2', environment: 'prod', service: 'web', revision: 'b', port: 5003, state: 'Healthy' }];
    expect(await tc.syncWeights('prod', 'web')).toEqual({ pushed: true, version: 2, weightsOnly: false });
    expect(router.table()?.services[0]?.targetGroups.map((g) => [g.weightPercent, g.targets.map((t) => t.id)])).toEqual([[0, []], [100, ['tb', 'tb2']]]);
  });
});

describe('TrafficController.syncWeights when the router serves something else', () => {
  it('GIVEN a router that lost the service WHEN weights are synced THEN the refused setWeights falls back to the whole table', async () => {
    // GIVEN a controller that applied a table with web, and a router that has since been given a table without it
    const db = openDatabase(':memory:', { migrations: deploymentMigrations });
    const revisions = new RevisionStore(db);
    revisions.upsert({ environment: 'prod', service: 'web', revision: 'a', sourceDir: '/app', desiredCount: 1, createdAtMs: 1, weightPercent: 100 });
    revisions.upsert({ environment: 'prod', service: 'web', revision: 'b', sourceDir: '/app', desiredCount: 1, createdAtMs: 2, weightPercent: 0 });
    const tasks: RoutableTask[] = [
      { id: 'ta', environment: 'prod', service: 'web', revision: 'a', port: 5001, state: 'Healthy' },
      { id: 'tb', environment: 'prod', service: 'web', revision: 'b', port: 5002, state: 'Healthy' },
    ];
    const router = createRouter({ drainTimeoutMs: 50 });
    const admin = await startAdminServer(router, { token: 'tok' });
    const client = new RouterClient({ url: `http://127.0.0.1:${admin.port}`, token: 'tok' });
    try {
      const tc = new TrafficController({
        router: client,
        revisions,
        state: new RoutingStateStore(db),
        environments: () => [{ name: 'prod', ingressPort: 0, testPort: 0, ingressRules: [], servicePorts: { web: 0 } }],
        tasks: () => tasks,
      });
      await tc.sync();
      await router.applyTable({ version: 5, listeners: [], services: [] });
      // WHEN the weights move and are synced
      revisions.setWeights('prod', 'web', { a: 0, b: 100 });
      const result = await tc.syncWeights('prod', 'web');
      // THEN the whole table went to the router, which serves the new weights
      expect(result.weightsOnly).toBe(false);
      expect(router.verifyWeights('prod', 'web').weights).toEqual({ 'prod.web.a': 0, 'prod.web.b': 100 });
    } finally {
      await router.close();
      await admin.close();
      await client.close();
      db.close();
    }
  });
});
