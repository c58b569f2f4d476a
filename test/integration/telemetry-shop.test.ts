import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { SHOP_DIR, writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const DECLINED = '4000 0000 0000 0002';
const APPROVED = '4242 4242 4242 4242';

/**
 * The example shop's own telemetry, end to end: its services export OTLP to
 * the control plane while a scripted load runs, and the service map, the
 * slow-query list and the effect of the catalog's index come out of it.
 */
describe('telemetry of the example shop under a scripted load', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('maps the shop with exact error counts, finds the slow reviews query, and sees the index fix it', { timeout: 120_000 }, async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // Spans leave each service every 200 ms instead of every 5 s, so the test waits less.
    const configFile = writeShopConfig(tmp.path, { env: { OTEL_BSP_SCHEDULE_DELAY: '200' } });
    const cp: ControlPlane = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 200 });
    cleanups.push(() => cp.close({ stopTasks: true }));
    const ingress = await waitFor('the ingress to route', async () => {
      const s = await cp.runtime!.status();
      const port = s.router.listeners.find((l) => l.kind === 'ingress')?.port;
      if (!port) return undefined;
      const ok = await fetch(`http://127.0.0.1:${port}/api/products?limit=1`).then((r) => r.status === 200, () => false);
      return ok ? port : undefined;
    }, 30_000);
    const base = `http://127.0.0.1:${ingress}`;
    const checkout = (card: string) =>
      fetch(`${base}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 5, quantity: 1, card }) }).then((r) => r.status);

    // GIVEN a scripted load: product pages (the slow reviews query), approved and declined checkouts
    const startMs = Date.now() - 1000;
    for (let i = 1; i <= 12; i++) expect((await fetch(`${base}/api/products/${i}`)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect(await checkout(APPROVED)).toBe(201);
    for (let i = 0; i < 3; i++) expect(await checkout(DECLINED)).toBe(402);

    // WHEN the spans have arrived THEN the map has the shop's services, its database, and its calls
    const map = await waitFor('the checkout calls in the service map', async () => {
      await cp.telemetry.forceFlush();
      const m = cp.telemetry.serviceMap(startMs, Date.now() + 1000);
      // Each service exports its own batches: wait until every side of every checkout has arrived.
      const calls = (source: string, target: string) => m.edges.find((e) => e.source === source && e.target === target)?.requests ?? 0;
      const served = m.nodes.find((n) => n.id === 'payments')?.requests ?? 0;
      const checkouts = calls('orders', 'payments') >= 7 && calls('gateway', 'orders') >= 7 && served >= 7;
      const catalog = calls('catalog', 'sqlite:catalog') > 12 && calls('gateway', 'catalog') >= 12 && calls('orders', 'catalog') >= 7;
      return checkouts && catalog ? m : undefined;
    }, 30_000);
    const ids = map.nodes.map((n) => `${n.id}:${n.type}`);
    expect(ids).toEqual(expect.arrayContaining(['gateway:service', 'catalog:service', 'orders:service', 'payments:service', 'sqlite:catalog:database']));
    const edge = (source: string, target: string) => map.edges.find((e) => e.source === source && e.target === target);
    // 7 checkouts reach payments, 3 of them declined: 4xx are errors (not faults), as X-Ray counts them
    expect(edge('orders', 'payments')).toMatchObject({ requests: 7, errors: 3, faults: 0 });
    expect(edge('gateway', 'orders')).toMatchObject({ requests: 7, errors: 3, faults: 0 });
    expect(map.nodes.find((n) => n.id === 'payments')).toMatchObject({ requests: 7, errors: 3, faults: 0 });
    expect(edge('catalog', 'sqlite:catalog')?.requests).toBeGreaterThan(12);
    expect(edge('gateway', 'catalog')?.requests).toBeGreaterThanOrEqual(12);
    expect(edge('orders', 'catalog')?.requests).toBeGreaterThanOrEqual(7);

    // AND the slowest query is the unindexed reviews lookup
    const before = cp.telemetry.slowQueries(startMs, Date.now() + 1000, 5);
    expect(before[0]?.statement).toMatch(/FROM reviews WHERE product_sku = \?/);
    const reviewsBefore = before[0]!;

    // WHEN the catalog is redeployed with its index (the demo's 'fix' commit, here as an env override)
    const deployment = cp.runtime!.deployments.service.start({ service: 'catalog', environment: 'production', revision: 'indexed', sourceDir: SHOP_DIR, env: { CATALOG_REVIEWS_INDEX: '1' } });
    await waitFor('the indexed catalog live', () => (cp.runtime!.deployments.service.get(deployment.id).state === 'Succeeded' ? true : undefined), 60_000);
    const afterMs = Date.now();
    for (let i = 1; i <= 12; i++) expect((await fetch(`${base}/api/products/${i}`)).status).toBe(200);

    // THEN the same query got much faster (a ratio in one run, not an absolute time)
    const reviewsAfter = await waitFor('the reviews queries of the indexed catalog', async () => {
      await cp.telemetry.forceFlush();
      const q = cp.telemetry.slowQueries(afterMs, Date.now() + 1000, 20).find((x) => x.statement === reviewsBefore.statement);
      return q && q.count >= reviewsBefore.count ? q : undefined;
    }, 30_000);
    console.log(`reviews query p50: ${reviewsBefore.p50Ms.toFixed(2)} ms without the index, ${reviewsAfter.p50Ms.toFixed(2)} ms with it`);
    expect(reviewsAfter.p50Ms * 5).toBeLessThan(reviewsBefore.p50Ms);
  });
});
