// Orders: price and stock from catalog, a charge from payments, then the
// order is kept (in memory; a restart forgets them).
import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { callService, HttpError, PeerUnavailableError, Router } from '../../lib/http.js';
import { log } from '../../lib/log.js';
import { recordEvent } from '../../lib/events.js';

const MAX_QUANTITY = 10;
const KEEP_ORDERS = 1000;

const ordersCreated = metrics.getMeter('shop-orders').createCounter('shop.orders.created', {
  description: 'Orders confirmed',
});

/**
 * Builds the orders router.
 * @param {{ catalogUrl: string, paymentsUrl: string, timeoutMs?: number }} peers
 */
export function createOrdersRouter({ catalogUrl, paymentsUrl, timeoutMs = 3000 }) {
  const orders = new Map();

  const call = async (name, baseUrl, path, options) => {
    try {
      return await callService(baseUrl, path, { timeoutMs, ...options });
    } catch (err) {
      if (!(err instanceof PeerUnavailableError)) throw err;
      log.warn(`${name} unavailable`, { error: err.message });
      throw new HttpError(503, `${name.toUpperCase()}_UNAVAILABLE`, `${name} is unavailable`);
    }
  };

  return new Router()
    .post('/orders', async ({ body }) => {
      const { productId, quantity = 1, card } = body;
      if (!Number.isInteger(productId) || productId <= 0) {
        throw new HttpError(400, 'INVALID_PRODUCT_ID', 'productId must be a positive integer');
      }
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        throw new HttpError(400, 'INVALID_QUANTITY', `quantity must be an integer from 1 to ${MAX_QUANTITY}`);
      }
      if (typeof card !== 'string' || card.trim() === '') {
        throw new HttpError(400, 'INVALID_CARD', 'card is required');
      }
      recordEvent('checkout.started');

      const product = await call('catalog', catalogUrl, `/products/${productId}`);
      if (product.status === 404) throw new HttpError(404, 'PRODUCT_NOT_FOUND', `no product with id ${productId}`);
      if (product.status !== 200) throw new HttpError(502, 'CATALOG_ERROR', `catalog answered ${product.status}`);
      const { sku, name, priceCents, stock } = product.body;
      if (stock < quantity) throw new HttpError(409, 'OUT_OF_STOCK', `only ${stock} of ${sku} in stock`);

      const id = `ord_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      const totalCents = priceCents * quantity;
      const charge = await call('payments', paymentsUrl, '/charge', {
        method: 'POST',
        body: { amountCents: totalCents, currency: 'USD', card, reference: id },
      });
      if (charge.status === 402) throw new HttpError(402, 'PAYMENT_DECLINED', 'the card was declined');
      if (charge.status === 400) throw new HttpError(400, 'INVALID_CARD', charge.body?.error?.message ?? 'invalid card');
      if (charge.status !== 201) {
        log.error('payment failed', { order_id: id, status: charge.status });
        throw new HttpError(502, 'PAYMENT_FAILED', `payments answered ${charge.status}`);
      }

      const order = {
        id, status: 'confirmed', productId, sku, name, quantity,
        unitPriceCents: priceCents, totalCents, currency: 'USD',
        paymentId: charge.body.id, createdAt: new Date().toISOString(),
      };
      orders.set(id, order);
      if (orders.size > KEEP_ORDERS) orders.delete(orders.keys().next().value);
      ordersCreated.add(1);
      recordEvent('checkout.completed', { 'order.value': totalCents / 100 });
      log.info('order confirmed', { order_id: id, sku, quantity, total_cents: totalCents });
      return { status: 201, json: order };
    })
    .get('/orders', () => ({ json: { orders: [...orders.values()].reverse().slice(0, 50) } }))
    .get('/orders/:id', ({ params }) => {
      const order = orders.get(params.id);
      if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${params.id}`);
      return { json: order };
    });
}
