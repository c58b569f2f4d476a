import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_DECLINED, CARD_OK, request, startShopService } from './support.js';

/** Starts catalog, payments, orders and gateway, wired to each other. */
async function startShop(paymentsEnv = {}) {
  const [catalog, payments] = await Promise.all([startShopService('catalog'), startShopService('payments', paymentsEnv)]);
  const orders = await startShopService('orders', { CATALOG_URL: catalog.url, PAYMENTS_URL: payments.url });
  const gateway = await startShopService('gateway', { CATALOG_URL: catalog.url, ORDERS_URL: orders.url });
  const services = { gateway, orders, payments, catalog };
  // Front to back, as a deployment would drain them.
  const stop = async () => {
    const codes = {};
    for (const [name, service] of Object.entries(services)) codes[name] = await service.stop();
    return codes;
  };
  return { ...services, stop };
}

describe('the shop, end to end', () => {
  let shop;
  beforeAll(async () => {
    shop = await startShop();
  });
  afterAll(async () => {
    expect(await shop?.stop()).toEqual({ gateway: 0, orders: 0, payments: 0, catalog: 0 });
  });

  it('every service answers its health check', async () => {
    for (const name of ['gateway', 'orders', 'payments', 'catalog']) {
      expect(await request(`${shop[name].url}/healthz`), name).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });

  it('lists products and shows one with its reviews through the gateway', async () => {
    const list = await request(`${shop.gateway.url}/api/products?limit=3`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2000);
    expect(list.body.products).toHaveLength(3);

    const detail = await request(`${shop.gateway.url}/api/products/${list.body.products[1].id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: 2, sku: 'SKU-00002', reviews: { sku: 'SKU-00002', count: expect.any(Number) } });
  });

  it('checks out: gateway → orders → catalog + payments', async () => {
    const product = (await request(`${shop.gateway.url}/api/products/12`)).body;
    const res = await request(`${shop.gateway.url}/api/checkout`, {
      method: 'POST',
      body: { productId: 12, quantity: 1, card: CARD_OK },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', productId: 12, sku: product.sku, totalCents: product.priceCents });
    expect(res.body.paymentId).toMatch(/^pay_/);
    await shop.payments.waitForLog((l) => l.msg === 'charge succeeded' && l.reference === res.body.id);
  });

  it('reports a declined card as 402 with a JSON error', async () => {
    const res = await request(`${shop.gateway.url}/api/checkout`, { method: 'POST', body: { productId: 12, card: CARD_DECLINED } });
    expect(res).toMatchObject({ status: 402, body: { error: { code: 'PAYMENT_DECLINED', message: expect.any(String) } } });
  });
});

describe('the shop with a broken payments service', () => {
  it('answers checkout with 502 and a JSON error when every charge fails', async () => {
    const shop = await startShop({ PAYMENTS_FAILURE_RATE: '1' });
    try {
      const res = await request(`${shop.gateway.url}/api/checkout`, { method: 'POST', body: { productId: 3, quantity: 1, card: CARD_OK } });
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 'PAYMENT_FAILED', message: 'payments answered 500' } });
      // Browsing still works: only checkout depends on payments.
      expect((await request(`${shop.gateway.url}/api/products/3`)).status).toBe(200);
    } finally {
      expect(await shop.stop()).toEqual({ gateway: 0, orders: 0, payments: 0, catalog: 0 });
    }
  });
});
