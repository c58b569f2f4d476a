import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_OK, request, startShopService, startStub } from '../../test/support.js';

describe('gateway service', () => {
  const seen = [];
  let ordersAnswer;
  let catalog;
  let orders;
  let gateway;

  beforeAll(async () => {
    catalog = await startStub((req) => {
      seen.push(req.url);
      if (req.url.startsWith('/products?')) return { json: { products: [{ id: 1 }], total: 1 } };
      if (req.url === '/products/1') return { json: { id: 1, name: 'Mug' } };
      if (req.url === '/products/1/reviews-summary') return { json: { count: 2, averageRating: 4.5 } };
      return { status: 404, json: { error: { code: 'PRODUCT_NOT_FOUND', message: 'no such product' } } };
    });
    orders = await startStub((_req, body) => {
      seen.push(body);
      return ordersAnswer;
    });
    gateway = await startShopService('gateway', { CATALOG_URL: catalog.url, ORDERS_URL: orders.url });
  });
  afterAll(async () => {
    expect(await gateway?.stop()).toBe(0);
    await catalog?.close();
    await orders?.close();
  });

  it('serves the shop page', async () => {
    const res = await request(`${gateway.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('api/checkout');
  });

  it('relays the product list with its paging parameters only', async () => {
    const res = await request(`${gateway.url}/api/products?limit=1&offset=2&evil=1`);
    expect(res).toMatchObject({ status: 200, body: { products: [{ id: 1 }], total: 1 } });
    expect(seen).toContain('/products?limit=1&offset=2');
  });

  it('merges product detail and reviews summary, and passes 404 on', async () => {
    expect((await request(`${gateway.url}/api/products/1`)).body).toEqual({ id: 1, name: 'Mug', reviews: { count: 2, averageRating: 4.5 } });
    expect(await request(`${gateway.url}/api/products/2`)).toMatchObject({ status: 404, body: { error: { code: 'PRODUCT_NOT_FOUND' } } });
  });

  it('forwards checkout to orders and relays its status and body', async () => {
    ordersAnswer = { status: 201, json: { id: 'ord_1', status: 'confirmed' } };
    const ok = await request(`${gateway.url}/api/checkout`, { method: 'POST', body: { productId: 1, quantity: 2, card: CARD_OK, extra: 'x' } });
    expect(ok).toMatchObject({ status: 201, body: { id: 'ord_1' } });
    expect(seen.at(-1)).toEqual({ productId: 1, quantity: 2, card: CARD_OK });

    ordersAnswer = { status: 502, json: { error: { code: 'PAYMENT_FAILED', message: 'payments answered 500' } } };
    expect(await request(`${gateway.url}/api/checkout`, { method: 'POST', body: { productId: 1, card: CARD_OK } }))
      .toMatchObject({ status: 502, body: { error: { code: 'PAYMENT_FAILED' } } });
  });

  it('answers 503 with JSON when orders is unreachable, and 404 JSON for unknown routes', async () => {
    const lonely = await startShopService('gateway', { CATALOG_URL: catalog.url, ORDERS_URL: 'http://127.0.0.1:1' });
    try {
      expect(await request(`${lonely.url}/api/checkout`, { method: 'POST', body: { productId: 1, card: CARD_OK } }))
        .toMatchObject({ status: 503, body: { error: { code: 'ORDERS_UNAVAILABLE' } } });
      expect(await request(`${lonely.url}/nope`)).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    } finally {
      expect(await lonely.stop()).toBe(0);
    }
  });
});

describe('gateway page with real-user monitoring', () => {
  const rum = { SLIPWAY_RUM_ENDPOINT: 'http://127.0.0.1:4318', SLIPWAY_RUM_INGEST_KEY: 'rum.production.shop-web.k3y', SLIPWAY_RUM_SERVICE_NAME: 'shop-web', SLIPWAY_ENV: 'production' };

  it('puts the settings and rum.js in the page, before the page\'s own script, and serves the bundle', async () => {
    // GIVEN the variables slipway gives a service that serves pages (the Node SDK exports nowhere)
    const gateway = await startShopService('gateway', { ...rum, OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    try {
      const page = await request(`${gateway.url}/`);
      const meta = /<meta name="slipway-rum" content="([^"]*)">/.exec(page.body);
      const settings = JSON.parse(meta[1].replaceAll('&quot;', '"'));
      expect(settings).toEqual({ endpoint: 'http://127.0.0.1:4318', key: 'rum.production.shop-web.k3y', serviceName: 'shop-web', environment: 'production' });
      expect(page.body.indexOf('<script type="module" src="rum.js">')).toBeLessThan(page.body.indexOf('<script type="module">'));
      // THEN /rum.js is the bundled web SDK: an ES module with no bare imports left for the browser to resolve
      const script = await request(`${gateway.url}/rum.js`);
      expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
      expect(script.body).toContain('slipway-rum');
      expect(script.body).toContain('x-slipway-ingest-key');
      expect(script.body).not.toMatch(/^\s*import\s.*from\s*["']@/m);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  }, 60_000);

  it('leaves RUM out without the variables, or when telemetry is disabled', async () => {
    const gateway = await startShopService('gateway', rum);
    try {
      expect((await request(`${gateway.url}/`)).body).not.toContain('slipway-rum');
      expect((await request(`${gateway.url}/rum.js`)).status).toBe(404);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });
});
