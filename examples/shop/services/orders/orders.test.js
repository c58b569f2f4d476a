import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_OK, request, startShopService, startStub } from '../../test/support.js';

// Orders runs as a real process against stub catalog and payments services
// whose answers each test chooses.
describe('orders service', () => {
  let catalogAnswer;
  let paymentsAnswer;
  const charges = [];
  let catalog;
  let payments;
  let orders;

  beforeAll(async () => {
    catalog = await startStub(() => catalogAnswer);
    payments = await startStub((_req, body) => {
      charges.push(body);
      return paymentsAnswer;
    });
    orders = await startShopService('orders', { CATALOG_URL: catalog.url, PAYMENTS_URL: payments.url });
  });
  afterAll(async () => {
    expect(await orders?.stop()).toBe(0);
    await catalog?.close();
    await payments?.close();
  });

  const product = { id: 5, sku: 'SKU-00005', name: 'Trail Wool Tote', priceCents: 2500, stock: 3 };
  const placeOrder = (body) => request(`${orders.url}/orders`, { method: 'POST', body });

  it('charges price × quantity and returns 201 with the stored order', async () => {
    catalogAnswer = { json: product };
    paymentsAnswer = { status: 201, json: { id: 'pay_1', status: 'succeeded' } };
    const res = await placeOrder({ productId: 5, quantity: 2, card: CARD_OK });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', productId: 5, sku: 'SKU-00005', quantity: 2, totalCents: 5000, paymentId: 'pay_1' });
    expect(charges.at(-1)).toMatchObject({ amountCents: 5000, card: CARD_OK, reference: res.body.id });

    const stored = await request(`${orders.url}/orders/${res.body.id}`);
    expect(stored).toMatchObject({ status: 200, body: res.body });
    expect((await request(`${orders.url}/orders`)).body.orders[0]).toEqual(res.body);
  });

  it('answers 502 PAYMENT_FAILED with JSON when payments fails', async () => {
    catalogAnswer = { json: product };
    paymentsAnswer = { status: 500, json: { error: { code: 'PROCESSOR_ERROR' } } };
    const res = await placeOrder({ productId: 5, quantity: 1, card: CARD_OK });
    expect(res).toMatchObject({ status: 502, body: { error: { code: 'PAYMENT_FAILED' } } });
  });

  it('passes a declined card on as 402', async () => {
    catalogAnswer = { json: product };
    paymentsAnswer = { status: 402, json: { error: { code: 'CARD_DECLINED' } } };
    expect(await placeOrder({ productId: 5, card: CARD_OK })).toMatchObject({ status: 402, body: { error: { code: 'PAYMENT_DECLINED' } } });
  });

  it('answers 404 for an unknown product and 409 when stock is short, without charging', async () => {
    const before = charges.length;
    catalogAnswer = { status: 404, json: { error: { code: 'PRODUCT_NOT_FOUND' } } };
    expect(await placeOrder({ productId: 99, card: CARD_OK })).toMatchObject({ status: 404, body: { error: { code: 'PRODUCT_NOT_FOUND' } } });
    catalogAnswer = { json: product };
    expect(await placeOrder({ productId: 5, quantity: 4, card: CARD_OK })).toMatchObject({ status: 409, body: { error: { code: 'OUT_OF_STOCK' } } });
    expect(charges.length).toBe(before);
  });

  it('answers 502 when catalog errors', async () => {
    catalogAnswer = { status: 500, json: {} };
    expect(await placeOrder({ productId: 5, card: CARD_OK })).toMatchObject({ status: 502, body: { error: { code: 'CATALOG_ERROR' } } });
  });

  it('validates the request', async () => {
    for (const body of [{ quantity: 1, card: CARD_OK }, { productId: 5, quantity: 0, card: CARD_OK }, { productId: 5, quantity: 11, card: CARD_OK }, { productId: 5 }]) {
      const res = await placeOrder(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toMatch(/^INVALID_/);
    }
  });

  it('answers 503 with JSON when a dependency is unreachable', async () => {
    const down = await startShopService('orders', { CATALOG_URL: 'http://127.0.0.1:1', PAYMENTS_URL: payments.url });
    try {
      const res = await request(`${down.url}/orders`, { method: 'POST', body: { productId: 5, card: CARD_OK } });
      expect(res).toMatchObject({ status: 503, body: { error: { code: 'CATALOG_UNAVAILABLE' } } });
    } finally {
      expect(await down.stop()).toBe(0);
    }
  });
});
