import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotAllowedError, NotFoundError, UnavailableError } from '../../shared/index.js';
import { RouterClient } from '../client/router-client.js';
import { createRouter, type Router } from '../router.js';
import { readRouterInfo } from '../state/state-files.js';
import { closedPort, send, simpleTable, startBackend } from '../testing.js';
import { startAdminServer, type AdminServer } from './admin-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(stateDir?: string): Promise<{ router: Router; admin: AdminServer; client: RouterClient }> {
  const router = createRouter({ stateDir, drainTimeoutMs: 200 });
  await router.start();
  const admin = await startAdminServer(router, { token: 'sekret' });
  const client = new RouterClient({ url: `http://127.0.0.1:${admin.port}`, token: 'sekret' });
  cleanups.push(() => router.close(), () => admin.close(), () => client.close());
  return { router, admin, client };
}

describe('admin API', () => {
  it('GIVEN a wrong or missing token WHEN calling THEN 401 (health stays open)', async () => {
    const { admin } = await setup();
    const bad = new RouterClient({ url: `http://127.0.0.1:${admin.port}`, token: 'wrong' });
    cleanups.push(() => bad.close());
    const err = await bad.metrics().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAllowedError);
    expect((err as NotAllowedError).code).toBe('SLW_ERR_API_UNAUTHORIZED');
    expect((await send(admin.port, '/metrics')).status).toBe(401);
    expect((await bad.health()).status).toBe('ok');
  });

  it('GIVEN a shadow comparison WHEN its report is asked for through the client THEN the totals; an unknown id THEN 404 SLW_ERR_ROUTER_SHADOW_NOT_FOUND', async () => {
    const [live, shadow] = [await startBackend('live'), await startBackend('shadow')];
    cleanups.push(() => live.close(), () => shadow.close());
    const { client } = await setup();
    await client.applyTable(
      simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [live.port] }, { id: 'green', weightPercent: 0, ports: [shadow.port] }], { mirror: { targetGroupId: 'green', percent: 100, compare: { id: 'deployment-1.step-1' } } }),
    );
    const port = (await client.table()).status.listeners[0]!.port;
    await send(port, '/a');
    // The backends answer with their own names (header and body), so the one pair differs.
    await expect.poll(async () => (await client.shadowReport('deployment-1.step-1')).compared).toBe(1);
    expect(await client.shadowReport('deployment-1.step-1')).toMatchObject({ id: 'deployment-1.step-1', environment: 'prod', service: 'web', revision: 'rev-green', mirrored: 1, differing: 1 });
    const missing = await client.shadowReport('nope').catch((e: unknown) => e);
    expect([missing instanceof NotFoundError, (missing as NotFoundError).code]).toEqual([true, 'SLW_ERR_ROUTER_SHADOW_NOT_FOUND']);
  });

  it('GIVEN an applied table WHEN the same version comes again THEN no-op; an older one THEN 409', async () => {
    const b = await startBackend('b');
    cleanups.push(() => b.close());
    const { client } = await setup();
    const table = simpleTable(5, [{ id: 'blue', weightPercent: 100, ports: [b.port] }]);
    expect((await client.applyTable(table)).applied).toBe(true);
    expect((await client.applyTable(table)).applied).toBe(false);
    const older = await client.applyTable({ ...table, version: 4 }).catch((e: unknown) => e);
    expect([older instanceof ConflictError, (older as ConflictError).code]).toEqual([true, 'SLW_ERR_ROUTER_VERSION_CONFLICT']);
    const status = (await client.table()).status;
    expect(status.version).toBe(5);
    expect((await send(status.listeners[0]!.port)).body).toBe('b');
  });

  it('GIVEN a service WHEN weights are set through the client THEN verify reports them and the version goes up', async () => {
    const { client } = await setup();
    await client.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [1] }, { id: 'green', weightPercent: 0, ports: [2] }]));
    const result = await client.setWeights({ environment: 'prod', service: 'web', weights: { blue: 75, green: 25 } });
    expect(result.status.version).toBe(2);
    expect(await client.verifyWeights('prod', 'web')).toEqual({
      environment: 'prod',
      service: 'web',
      version: 2,
      weights: { blue: 75, green: 25 },
      effectiveWeights: { blue: 75, green: 25 },
      healthyHostCounts: { blue: 1, green: 1 },
    });
    const bad = await client.setWeights({ environment: 'prod', service: 'web', weights: { blue: 75, green: 20 } }).catch((e: unknown) => e);
    expect((bad as { code: string; status: number }).code).toBe('SLW_ERR_ROUTER_WEIGHTS_INVALID');
    const missing = await client.verifyWeights('prod', 'nope').catch((e: unknown) => e);
    expect((missing as { code: string }).code).toBe('SLW_ERR_ROUTER_SERVICE_NOT_FOUND');
  });

  it('GIVEN traffic WHEN reading /metrics and /admin/metrics THEN both report the counters', async () => {
    const b = await startBackend('b');
    cleanups.push(() => b.close());
    const { client, admin, router } = await setup();
    await client.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [b.port] }]));
    await send(router.status().listeners[0]!.port);
    const json = await client.metrics();
    expect(json.targetGroups.find((g) => g.dimensions.targetGroup === 'blue')).toMatchObject({ RequestCount: 1, HTTPCode_Target_2XX_Count: 1 });
    const text = await send(admin.port, '/metrics', { headers: { authorization: 'Bearer sekret' } });
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).toContain('RequestCount{environment="prod",service="web",revision="rev-blue",targetGroup="blue"} 1\n');
  });

  it('GIVEN nothing listening WHEN the client calls THEN UnavailableError', async () => {
    const client = new RouterClient({ url: `http://127.0.0.1:${await closedPort()}`, token: 'x' });
    cleanups.push(() => client.close());
    const err = await client.health().catch((e: unknown) => e);
    expect([err instanceof UnavailableError, (err as UnavailableError).code]).toEqual([true, 'SLW_ERR_ROUTER_UNAVAILABLE']);
  });

  it('GIVEN an applied table WHEN the router is closed and a new one starts from the same state dir THEN it serves the same routes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-router-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const b = await startBackend('b');
    cleanups.push(() => b.close());
    const first = await setup(dir);
    await first.client.applyTable(simpleTable(7, [{ id: 'blue', weightPercent: 100, ports: [b.port] }]));
    const port = first.router.status().listeners[0]!.port;
    expect(readRouterInfo(dir)).toMatchObject({ pid: process.pid, adminPort: first.admin.port, tableVersion: 7, listeners: [{ id: 'web', port }] });
    await first.router.close();
    await first.admin.close();
    const second = await setup(dir);
    expect(second.router.status().version).toBe(7);
    // The port-0 listener gets its previous port back, so clients keep their address.
    expect(second.router.status().listeners[0]!.port).toBe(port);
    expect((await send(port)).body).toBe('b');
  });
});
