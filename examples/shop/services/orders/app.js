// Orders: price and stock from catalog, a charge from payments, then the
// order is kept (in memory; a restart forgets them).
import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { createFlagClient } from '../../lib/flags.js';
import { callService, HttpError, PeerUnavailableError, Router } from '../../lib/http.js';
import { log } from '../../lib/log.js';
import { recordEvent } from '../../lib/events.js';

const MAX_QUANTITY = 10;
const KEEP_ORDERS = 1000;

const ordersCreated = metrics.getMeter('shop-orders').createCounter('shop.orders.created', {
  description: 'Orders confirmed',
});

// The flag the shop's config declares: which checkout path confirms an order.
const NEW_CHECKOUT = 'newCheckout';

/**
 * Builds the orders router.
 * @param {{ catalogUrl: string, paymentsUrl: string, timeoutMs?: number, flags?: ReturnType<typeof createFlagClient> }} peers
 */
export function createOrdersRouter({ catalogUrl, paymentsUrl, timeoutMs = 3000, flags = createFlagClient() }) {
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
      const { productId, quantity = 1, card, userId } = body;
      if (!Number.isInteger(productId) || productId <= 0) {
        throw new HttpError(400, 'INVALID_PRODUCT_ID', 'productId must be a positive integer');
      }
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
        throw new HttpError(400, 'INVALID_QUANTITY', `quantity must be an integer from 1 to ${MAX_QUANTITY}`);
      }
      if (typeof card !== 'string' || card.trim() === '') {
        throw new HttpError(400, 'INVALID_CARD', 'card is required');
      }
      if (userId !== undefined && (typeof userId !== 'string' || userId === '' || userId.length > 128)) {
        throw new HttpError(400, 'INVALID_USER_ID', 'userId must be a string of 1 to 128 characters');
      }
      recordEvent('checkout.started');

      const product = await call('catalog', catalogUrl, `/products/${productId}`);
      if (product.status === 404) throw new HttpError(404, 'PRODUCT_NOT_FOUND', `no product with id ${productId}`);
      if (product.status !== 200) throw new HttpError(502, 'CATALOG_ERROR', `catalog answered ${product.status}`);
      const { sku, name, priceCents, stock } = product.body;
      if (stock < quantity) throw new HttpError(409, 'OUT_OF_STOCK', `only ${stock} of ${sku} in stock`);

      const id = `ord_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      // A signed-in shopper keeps their checkout; an anonymous checkout is split per order.
      const flag = await flags.evaluate(NEW_CHECKOUT, false, { targetingKey: userId ?? id });
      const checkout = flag.value === true ? newCheckout : classicCheckout;
      const totalCents = checkout.totalCents(priceCents, quantity);
      const chargeOnce = () => call('payments', paymentsUrl, '/charge', {
        method: 'POST',
        body: { amountCents: totalCents, currency: 'USD', card, reference: id },
      });
      let charge = await chargeOnce();
      for (let retry = 1; retry <= checkout.processorRetries && charge.status === 500; retry++) {
        log.warn('charge failed, retrying', { order_id: id, retry, checkout_path: checkout.path });
        charge = await chargeOnce();
      }
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
        ...checkout.fields(priceCents, quantity),
        checkout: { path: checkout.path, flag: NEW_CHECKOUT, variant: flag.variant, reason: flag.reason },
      };
      orders.set(id, order);
      if (orders.size > KEEP_ORDERS) orders.delete(orders.keys().next().value);
      ordersCreated.add(1, { 'shop.checkout.path': checkout.path });
      recordEvent('checkout.completed', { 'order.value': totalCents / 100 });
      log.info('order confirmed', { order_id: id, sku, quantity, total_cents: totalCents, checkout_path: checkout.path, flag_variant: flag.variant });
      return { status: 201, json: order };
    })
    .get('/orders', () => ({ json: { orders: [...orders.values()].reverse().slice(0, 50) } }))
    .get('/orders/:id', ({ params }) => {
      const order = orders.get(params.id);
      if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${params.id}`);
      return { json: order };
    });
}

// The two checkout paths the newCheckout flag switches between. Both charge the same total; the new
// one also itemises the order, which is what a shopper of the new checkout sees on the receipt, and
// tries a charge again once when the card processor fails (payments answers 500 before it charges
// anything, and says to try again) — so more of the checkouts it starts end in an order when
// payments is flaky, which is what the new-checkout experiment measures.
const classicCheckout = {
  path: 'classic',
  processorRetries: 0,
  totalCents: (priceCents, quantity) => priceCents * quantity,
  fields: () => ({}),
};
const newCheckout = {
  path: 'new',
  processorRetries: 1,
  totalCents: (priceCents, quantity) => priceCents * quantity,
  fields: (priceCents, quantity) => ({ lineItems: [{ description: 'item', quantity, unitPriceCents: priceCents, amountCents: priceCents * quantity }] }),
};
