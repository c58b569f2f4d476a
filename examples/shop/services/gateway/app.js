// The gateway: the shop page and the public /api, backed by catalog and orders.
import { URLSearchParams } from 'node:url';
import { callService, HttpError, PeerUnavailableError, Router } from '../../lib/http.js';
import { log } from '../../lib/log.js';
import { shopPage } from './page.js';
import { rumBundle } from './rum-bundle.js';

/**
 * The page's real-user monitoring settings from the variables slipway gives the services that
 * serve pages (telemetry.rum in the app model); undefined without them, or with
 * OTEL_SDK_DISABLED=true.
 * @param {NodeJS.ProcessEnv} env
 */
export function rumSettings(env) {
  const { SLIPWAY_RUM_ENDPOINT: endpoint, SLIPWAY_RUM_INGEST_KEY: key, SLIPWAY_RUM_SERVICE_NAME: serviceName } = env;
  if (!endpoint || !key || !serviceName || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  return { endpoint, key, serviceName, environment: env.SLIPWAY_ENV ?? '' };
}

/**
 * Builds the gateway router.
 * @param {{ catalogUrl: string, ordersUrl: string, rum?: ReturnType<typeof rumSettings> }} peers
 */
export function createGatewayRouter({ catalogUrl, ordersUrl, rum }) {
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

  const html = shopPage(rum);
  const router = new Router().get('/', () => ({ html }));
  if (rum) {
    router.get('/rum.js', async () => {
      try {
        return { script: await rumBundle() };
      } catch (err) {
        // The page works without it: its fetches are only not traced from the browser.
        log.error('the RUM bundle could not be built', { error: err.message });
        throw new HttpError(503, 'RUM_UNAVAILABLE', 'the browser telemetry script could not be built');
      }
    });
    // Built now, so the first shopper does not wait for it.
    rumBundle().catch(() => {});
  }
  return router
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
