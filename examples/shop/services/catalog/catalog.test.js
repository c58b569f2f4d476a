import { URLSearchParams } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/http.js';
import { request, startShopService } from '../../test/support.js';
import { createCatalogRouter } from './app.js';
import { ADD_REVIEWS_INDEX, openCatalogDb, reviewsIndexWanted } from './db.js';

process.env.LOG_LEVEL = 'silent';

const get = (router, path, query = '') => {
  const route = router.match('GET', path);
  if (route instanceof HttpError) throw route;
  return route.handler({ params: route.params, query: new URLSearchParams(query) });
};

describe('catalog routes (small in-memory database)', () => {
  let db;
  let router;
  beforeAll(() => {
    db = openCatalogDb({ dataDir: '', products: 40, reviews: 2000 });
    router = createCatalogRouter(db);
  });
  afterAll(() => db.close());

  it('lists products a page at a time with the total', () => {
    const { json } = get(router, '/products', 'limit=5&offset=10');
    expect(json.total).toBe(40);
    expect(json.products.map((p) => p.id)).toEqual([11, 12, 13, 14, 15]);
    expect(json.products[0]).toMatchObject({ sku: 'SKU-00011', priceCents: expect.any(Number), stock: expect.any(Number) });
  });

  it('filters by category', () => {
    const { json } = get(router, '/products', 'category=kitchen&limit=100');
    expect(json.products.length).toBe(json.total);
    expect(json.products.every((p) => p.category === 'kitchen')).toBe(true);
  });

  it('returns one product with its description, and 404 for unknown ids', () => {
    expect(get(router, '/products/7').json).toMatchObject({ id: 7, sku: 'SKU-00007', description: expect.any(String) });
    expect(() => get(router, '/products/4000')).toThrow(expect.objectContaining({ status: 404, code: 'PRODUCT_NOT_FOUND' }));
    expect(() => get(router, '/products/abc')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('summarises the reviews of a product', () => {
    const { json } = get(router, '/products/3/reviews-summary');
    const expected = db.prepare("SELECT count(*) AS n, avg(rating) AS avg FROM reviews WHERE product_sku = 'SKU-00003'").get();
    expect(json.count).toBe(expected.n);
    expect(json.averageRating).toBeCloseTo(expected.avg, 2);
    expect(Object.values(json.histogram).reduce((a, b) => a + b, 0)).toBe(expected.n);
    expect(json.recent.length).toBe(Math.min(3, expected.n));
    expect(json.top).toMatchObject({ helpfulVotes: expect.any(Number) });
  });

  it('seeds the same data on every start', () => {
    const other = openCatalogDb({ dataDir: '', products: 40, reviews: 2000 });
    try {
      expect(createCatalogRouter(other).match('GET', '/products/9').handler({ params: { id: '9' } }).json)
        .toEqual(get(router, '/products/9').json);
    } finally {
      other.close();
    }
  });
});

describe('the reviews index lever', () => {
  it('follows CATALOG_REVIEWS_INDEX when set, else ADD_REVIEWS_INDEX', () => {
    expect(reviewsIndexWanted({ CATALOG_REVIEWS_INDEX: '1' })).toBe(true);
    expect(reviewsIndexWanted({ CATALOG_REVIEWS_INDEX: '0' })).toBe(false);
    expect(reviewsIndexWanted({})).toBe(ADD_REVIEWS_INDEX);
  });

  it('makes the reviews summary at least 5x faster over HTTP (same test, same machine)', async () => {
    const [slow, fast] = await Promise.all([
      startShopService('catalog', { CATALOG_REVIEWS_INDEX: '0' }),
      startShopService('catalog', { CATALOG_REVIEWS_INDEX: '1' }),
    ]);
    try {
      // Median of 7 products, timed by the client (what a user sees) and by
      // the service's own access log (without connection overhead).
      const measure = async (service) => {
        const client = [];
        const server = [];
        for (let id = 101; id <= 107; id++) {
          const path = `/products/${id}/reviews-summary`;
          const res = await request(`${service.url}${path}`);
          expect(res.status).toBe(200);
          client.push(res.ms);
          server.push((await service.waitForLog((l) => l.msg === 'request' && l.path === path)).duration_ms);
        }
        const median = (values) => values.sort((a, b) => a - b)[3];
        return { clientMs: median(client), serverMs: median(server) };
      };
      // Warm both up (JIT, page cache) before measuring.
      await request(`${slow.url}/products/1/reviews-summary`);
      await request(`${fast.url}/products/1/reviews-summary`);
      const without = await measure(slow);
      const withIndex = await measure(fast);
      const summary = `without index ${JSON.stringify(without)}, with ${JSON.stringify(withIndex)}`;
      expect(without.serverMs / withIndex.serverMs, summary).toBeGreaterThanOrEqual(5);
      expect(without.clientMs / withIndex.clientMs, summary).toBeGreaterThanOrEqual(2);

      // Both answer the same thing; only the speed differs.
      const [a, b] = await Promise.all([slow, fast].map((s) => request(`${s.url}/products/42/reviews-summary`)));
      expect(a.body).toEqual(b.body);
      expect(slow.logs.find((l) => l.msg === 'catalog database ready')).toMatchObject({ products: 2000, reviews: 100000, reviews_index: false });
    } finally {
      expect(await slow.stop()).toBe(0);
      expect(await fast.stop()).toBe(0);
    }
  });
});
