// The gateway: the shop page and the public /api, backed by catalog and orders.
import { URLSearchParams } from 'node:url';
import { callService, HttpError, PeerUnavailableError, Router } from '../../lib/http.js';
import { log } from '../../lib/log.js';
import { shopPage } from './page.js';

/**
 * Builds the gateway router.
 * @param {{ catalogUrl: string, ordersUrl: string }} peers
 */
export function createGatewayRouter({ catalogUrl, ordersUrl }) {
  // Relays a peer's answer (status and JSON body) to the caller as it is.
  const relay = async (name, baseUrl, path, options) => {
    let answer;
    try {
      answer = await callService(baseUrl, path, options);
    } catch (err) {
      if (!(err instanceof PeerUnavailableError)) throw err;
      log.warn(`${name} unavailable`, { error: err.message });
      throw new HttpError(503, `${name.toUpperCase()}_UNAVAILABLE`, `${name} is unavailable`);
    }
    if (typeof answer.body !== 'object') {
      throw new HttpError(502, `${name.toUpperCase()}_ERROR`, `${name} answered ${answer.status} without JSON`);
    }
    return { status: answer.status, json: answer.body };
  };

  return new Router()
    .get('/', () => ({ html: shopPage }))
    .get('/api/products', ({ query }) => {
      const forwarded = new URLSearchParams();
      for (const key of ['limit', 'offset', 'category']) if (query.has(key)) forwarded.set(key, query.get(key));
      return relay('catalog', catalogUrl, `/products?${forwarded}`);
    })
    // Product detail with its reviews summary — the summary is the slow part
    // until the catalog has its reviews index.
    .get('/api/products/:id', async ({ params }) => {
      const id = encodeURIComponent(params.id);
      const [product, reviews] = await Promise.all([
        relay('catalog', catalogUrl, `/products/${id}`),
        relay('catalog', catalogUrl, `/products/${id}/reviews-summary`),
      ]);
      if (product.status !== 200) return product;
      return { json: { ...product.json, reviews: reviews.status === 200 ? reviews.json : null } };
    })
    .post('/api/checkout', ({ body }) =>
      relay('orders', ordersUrl, '/orders', {
        method: 'POST',
        // orders waits up to 3 s for each of its own peers.
        timeoutMs: 8000,
        body: { productId: body.productId, quantity: body.quantity, card: body.card, userId: body.userId },
      }),
    );
}
