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
      return typeof paymentsAnswer === 'function' ? paymentsAnswer() : paymentsAnswer;
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

  it('checks out on the classic path when slipway gives it no flag credentials', async () => {
    catalogAnswer = { json: product };
    paymentsAnswer = { status: 201, json: { id: 'pay_3', status: 'succeeded' } };
    const res = await placeOrder({ productId: 5, card: CARD_OK, userId: 'u1' });
    expect(res.body.checkout).toEqual({ path: 'classic', flag: 'newCheckout', variant: 'fallback', reason: 'FALLBACK' });
    expect(res.body.lineItems).toBeUndefined();
  });

  it('switches to the new checkout when newCheckout is true over OFREP, and falls back when slipway fails', async () => {
    // GIVEN an OFREP endpoint answering what the test chooses
    let flagAnswer;
    const asked = [];
    const ofrep = await startStub((req, body) => {
      asked.push({ url: req.url, authorization: req.headers.authorization, body });
      return flagAnswer;
    });
    const withFlags = await startShopService('orders', { CATALOG_URL: catalog.url, PAYMENTS_URL: payments.url, SLIPWAY_FLAGS_URL: ofrep.url, SLIPWAY_FLAGS_TOKEN: 'flg.test', SHOP_FLAGS_CACHE_MS: '0' });
    try {
      catalogAnswer = { json: product };
      paymentsAnswer = { status: 201, json: { id: 'pay_4', status: 'succeeded' } };
      // WHEN the flag is on for the user THEN the new path serves, itemised, and says so
      flagAnswer = { json: { key: 'newCheckout', value: true, variant: 'rule-1', reason: 'SPLIT' } };
      const on = await request(`${withFlags.url}/orders`, { method: 'POST', body: { productId: 5, quantity: 2, card: CARD_OK, userId: 'u1' } });
      expect(on.body).toMatchObject({ totalCents: 5000, checkout: { path: 'new', variant: 'rule-1', reason: 'SPLIT' }, lineItems: [{ quantity: 2, amountCents: 5000 }] });
      expect(asked.at(-1)).toEqual({ url: '/ofrep/v1/evaluate/flags/newCheckout', authorization: 'Bearer flg.test', body: { context: { targetingKey: 'u1' } } });
      // WHEN it is off THEN the classic path
      flagAnswer = { json: { key: 'newCheckout', value: false, variant: 'default', reason: 'DEFAULT' } };
      const off = await request(`${withFlags.url}/orders`, { method: 'POST', body: { productId: 5, card: CARD_OK, userId: 'u1' } });
      expect(off.body.checkout).toMatchObject({ path: 'classic', variant: 'default' });
      // WHEN slipway fails or answers another type THEN the default (classic), and the order still succeeds
      for (const answer of [{ status: 500, json: { errorCode: 'GENERAL' } }, { json: { value: 'yes' } }]) {
        flagAnswer = answer;
        const failed = await request(`${withFlags.url}/orders`, { method: 'POST', body: { productId: 5, card: CARD_OK } });
        expect(failed).toMatchObject({ status: 201, body: { checkout: { path: 'classic', reason: 'FALLBACK' } } });
      }
      // An anonymous checkout is split by its order id
      expect(asked.at(-1).body.context.targetingKey).toMatch(/^ord_/);
      // WHEN the card processor fails once THEN the new checkout charges again, with the same reference, and confirms the order
      flagAnswer = { json: { key: 'newCheckout', value: true, variant: 'rule-1', reason: 'SPLIT' } };
      let answers = [{ status: 500, json: { error: { code: 'PROCESSOR_ERROR' } } }, { status: 201, json: { id: 'pay_5', status: 'succeeded' } }];
      paymentsAnswer = () => answers.shift();
      const before = charges.length;
      const retried = await request(`${withFlags.url}/orders`, { method: 'POST', body: { productId: 5, card: CARD_OK, userId: 'u1' } });
      expect(retried).toMatchObject({ status: 201, body: { paymentId: 'pay_5', checkout: { path: 'new' } } });
      expect(charges.slice(before).map((c) => c.reference)).toEqual([retried.body.id, retried.body.id]);
      // AND the classic checkout does not: one charge, and the order fails
      flagAnswer = { json: { key: 'newCheckout', value: false, variant: 'default', reason: 'DEFAULT' } };
      answers = [{ status: 500, json: { error: { code: 'PROCESSOR_ERROR' } } }, { status: 201, json: { id: 'pay_6', status: 'succeeded' } }];
      const once = charges.length;
      expect(await request(`${withFlags.url}/orders`, { method: 'POST', body: { productId: 5, card: CARD_OK, userId: 'u1' } })).toMatchObject({ status: 502 });
      expect(charges.length - once).toBe(1);
    } finally {
      expect(await withFlags.stop()).toBe(0);
      await ofrep.close();
    }
  });
});
