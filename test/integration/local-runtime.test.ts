import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface RuntimeStatus {
  environments: { name: string; services: { name: string; revisions: { revision: string; weightPercent: number; tasks: { id: string; pid: number; state: string }[] }[] }[] }[];
  router: { pid: number; listeners: { kind: string; environment: string; port: number }[] };
}

describe('the example shop under the supervisor and the router', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('routes real checkouts through the ingress, and a restarted control plane adopts everything', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = writeShopConfig(tmp.path);
    const dataDir = path.join(tmp.path, 'data');
    // GIVEN slipway up on the shop
    let cp: ControlPlane = await startControlPlane({ dataDir, port: 0, configFile, drainMs: 200 });
    cleanups.push(() => cp.close({ stopTasks: true }));
    await waitFor('every service healthy and routed', async () => {
      const s = (await cp.runtime!.status()) as unknown as RuntimeStatus;
      const tasks = s.environments.flatMap((e) => e.services.flatMap((svc) => svc.revisions.flatMap((r) => r.tasks)));
      return tasks.length === 4 && tasks.every((t) => t.state === 'Healthy') && cp.runtime!.environments.traffic.routes(tasks.map((t) => t.id)) ? s : undefined;
    }, 30_000);
    const status = (await cp.runtime!.status()) as unknown as RuntimeStatus;
    const ingress = status.router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production')!;
    expect(ingress.port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${ingress.port}`;

    // WHEN a shopper browses and checks out through the ingress
    const products = (await (await fetch(`${base}/api/products?limit=3`)).json()) as { products: { id: number }[] };
    const checkout = await fetch(`${base}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: products.products[0]!.id, quantity: 1, card: '4242 4242 4242 4242' }),
    });
    // THEN the order crosses gateway → orders → catalog and payments and is confirmed
    expect(checkout.status).toBe(201);
    expect(await checkout.json()).toMatchObject({ status: 'confirmed', productId: products.products[0]!.id, quantity: 1 });

    // AND the router's ALB metrics land in telemetry under their CloudWatch names
    await cp.routerMetrics!.publish();
    await cp.telemetry.forceFlush();
    const window = { periodMs: 3_600_000, startMs: Date.now() - 3_600_000, endMs: Date.now() + 1000 };
    const sum = (name: string, service: string) => cp.telemetry.queryMetric({ name, dimensions: { environment: 'production', service }, stat: 'Sum', ...window }).values.reduce((a, b) => a + b, 0);
    expect(sum('RequestCount', 'gateway')).toBeGreaterThanOrEqual(2);
    expect(sum('HTTPCode_Target_2XX_Count', 'gateway')).toBe(sum('RequestCount', 'gateway'));
    expect(sum('RequestCount', 'payments')).toBe(1);
    expect(sum('HTTPCode_ELB_5XX_Count', 'gateway')).toBe(0);

    // WHEN the control plane goes away without stopping anything (a crash) and comes back
    const pids = status.environments.flatMap((e) => e.services.flatMap((s) => s.revisions.flatMap((r) => r.tasks.map((t) => t.pid))));
    await cp.close({ stopTasks: false });
    expect((await fetch(`${base}/api/products?limit=1`)).status).toBe(200);
    cp = await startControlPlane({ dataDir, port: 0, configFile, drainMs: 200 });
    // THEN it adopts the same router and tasks, starts no duplicates, and traffic still flows
    const again = (await cp.runtime!.status()) as unknown as RuntimeStatus;
    expect(again.router.pid).toBe(status.router.pid);
    expect(again.environments.flatMap((e) => e.services.flatMap((s) => s.revisions.flatMap((r) => r.tasks.map((t) => t.pid)))).sort()).toEqual([...pids].sort());
    expect(cp.events.list({ type: 'task.started' })).toHaveLength(4);
    expect(cp.events.list({ type: 'task.adopted' })).toHaveLength(4);
    expect(cp.events.list({ type: 'router.adopted' })).toHaveLength(1);
    expect((await fetch(`${base}/api/products?limit=1`)).status).toBe(200);

    // WHEN it is stopped as by Ctrl-C THEN tasks and router are gone
    await cp.close({ stopTasks: true });
    expect(pids.filter((p) => isAlive(p))).toEqual([]);
    expect(isAlive(status.router.pid)).toBe(false);
  });
});
