import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// The example shop's orders service evaluates `newCheckout` per checkout through the control plane's
// OFREP endpoint, with the credentials its task was given, and switches its checkout path: a change
// through the flags API reaches the running shop without a deployment.

const TOKEN = 'shop-flags-token-0123456789abcdef';
const CARD = '4242 4242 4242 4242';

let tmp: { path: string; cleanup: () => void };
let cp: ControlPlane;
let base: string;

interface Order {
  readonly checkout: { readonly path: string; readonly flag: string; readonly variant: string; readonly reason: string };
  readonly lineItems?: unknown[];
}

const checkout = async (userId: string): Promise<Order> => {
  const res = await fetch(`${base}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 5, quantity: 1, card: CARD, userId }) });
  expect(res.status).toBe(201);
  return (await res.json()) as Order;
};

const api = (method: string, url: string, body: unknown) =>
  fetch(`${cp.url}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);

beforeAll(async () => {
  tmp = tempDir('slipway-shop-flags-');
  // GIVEN the shop with newCheckout off (no rules); orders asks slipway at every checkout (no cache)
  const configFile = writeShopConfig(tmp.path, { env: { SHOP_FLAGS_CACHE_MS: '0' }, flags: { newCheckout: { default: false } } });
  cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, token: TOKEN, configFile, drainMs: 100, otlpPort: null, xrayPort: null });
  base = await waitFor('the shop to answer through the ingress', async () => {
    const port = (await cp.runtime!.status()).router.listeners.find((l) => l.kind === 'ingress')?.port;
    if (!port) return undefined;
    const ok = await fetch(`http://127.0.0.1:${port}/api/products?limit=1`).then((r) => r.status === 200, () => false);
    return ok ? `http://127.0.0.1:${port}` : undefined;
  }, 30_000);
  // A checkout goes through gateway, orders and payments: every task must be healthy, not only catalog.
  await waitFor('every task healthy', async () => {
    const tasks = (await cp.runtime!.status()).environments.flatMap((e) => e.services.flatMap((s) => s.revisions.flatMap((r) => r.tasks)));
    return tasks.length === 4 && tasks.every((t) => t.state === 'Healthy') ? true : undefined;
  }, 30_000);
}, 60_000);

afterAll(async () => {
  await cp?.close({ stopTasks: true });
  tmp?.cleanup();
});

describe('the shop reads newCheckout through slipway', () => {
  it('serves the classic path while the flag is off, the new one once it is on, and the classic one again when killed', { timeout: 60_000 }, async () => {
    // THEN with the flag as seeded (no rules) the classic path serves, and the shop names the flag's answer
    expect((await checkout('u1')).checkout).toEqual({ path: 'classic', flag: 'newCheckout', variant: 'default', reason: 'STATIC' });

    // WHEN the flag is turned on for one user through the API
    expect(await api('PUT', '/api/v1/flags/production/newCheckout', { definition: { default: false, rules: [{ match: { targetingKey: { in: ['u2'] } }, value: true }] }, by: 'test' })).toBe(200);
    // THEN that user's checkout takes the new path, itemised; another user's does not
    const on = await checkout('u2');
    expect(on.checkout).toEqual({ path: 'new', flag: 'newCheckout', variant: 'rule-1', reason: 'TARGETING_MATCH' });
    expect(on.lineItems).toHaveLength(1);
    expect((await checkout('u3')).checkout).toMatchObject({ path: 'classic', reason: 'DEFAULT' });

    // WHEN the kill switch is pulled THEN the new path is gone at once
    expect(await api('POST', '/api/v1/flags/production/newCheckout/disable', { by: 'test' })).toBe(200);
    expect((await checkout('u2')).checkout).toMatchObject({ path: 'classic', reason: 'DISABLED' });

    // AND the evaluations were counted as impressions of the orders service
    await waitFor('the impressions of orders', async () => {
      cp.flags.impressions.forceFlush();
      await cp.telemetry.forceFlush();
      const window = { periodMs: 60_000, startMs: Date.now() - 300_000, endMs: Date.now() + 60_000 };
      const s = cp.telemetry.queryMetric({ name: 'feature_flag.impressions', dimensions: { service: 'orders', environment: 'production', 'feature_flag.key': 'newCheckout' }, stat: 'Sum', ...window });
      const total = s.values.reduce<number>((n, v) => n + (v ?? 0), 0);
      return total >= 4 ? total : undefined;
    }, 20_000);
  });
});
