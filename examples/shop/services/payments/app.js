// Simulated card processing: a charge takes PAYMENTS_LATENCY_MS and fails
// (HTTP 500) with probability FAILURE_RATE.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@opentelemetry/api';
import { HttpError, Router } from '../../lib/http.js';
import { log } from '../../lib/log.js';

// ─── DEMO LEVER: the payment failure rate ──────────────────────────────────
// The share of charges that fail with HTTP 500 (0 = never, 1 = always).
// A "bad release" sets this above 0; PAYMENTS_FAILURE_RATE overrides it.
export const FAILURE_RATE = 0;
// ────────────────────────────────────────────────────────────────────────────

/** A card number the processor always declines (402), like a payment provider's test cards. */
export const DECLINED_CARD = '4000000000000002';

const charges = metrics.getMeter('shop-payments').createCounter('shop.payments.charges', {
  description: 'Charges attempted, by result',
});

/**
 * Reads the settings from the environment: PAYMENTS_LATENCY_MS (default 20)
 * and PAYMENTS_FAILURE_RATE (default FAILURE_RATE).
 */
export function paymentsConfig(env = process.env) {
  const number = (value, fallback) => (value?.trim() && Number.isFinite(Number(value)) ? Number(value) : fallback);
  return {
    latencyMs: Math.max(0, number(env.PAYMENTS_LATENCY_MS, 20)),
    failureRate: Math.min(1, Math.max(0, number(env.PAYMENTS_FAILURE_RATE, FAILURE_RATE))),
  };
}

/** Builds the payments router. `random` is injectable for tests. */
export function createPaymentsRouter({ latencyMs, failureRate }, random = Math.random) {
  return new Router().post('/charge', async ({ body }) => {
    const { amountCents, currency = 'USD', card, reference } = body;
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      throw new HttpError(400, 'INVALID_AMOUNT', 'amountCents must be a positive integer');
    }
    const digits = String(card ?? '').replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
      throw new HttpError(400, 'INVALID_CARD', 'card must be a valid card number');
    }

    // Jitter of ±25% so latency percentiles look like a real dependency's.
    await sleep(latencyMs * (0.75 + random() * 0.5));

    if (random() < failureRate) {
      charges.add(1, { result: 'error' });
      log.error('charge failed: processor error', { reference, amount_cents: amountCents });
      throw new HttpError(500, 'PROCESSOR_ERROR', 'the card processor failed; try again');
    }
    if (digits === DECLINED_CARD) {
      charges.add(1, { result: 'declined' });
      throw new HttpError(402, 'CARD_DECLINED', 'the card was declined');
    }
    charges.add(1, { result: 'succeeded' });
    const payment = {
      id: `pay_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      status: 'succeeded',
      amountCents,
      currency,
      cardLast4: digits.slice(-4),
      reference: reference ?? null,
      createdAt: new Date().toISOString(),
    };
    log.info('charge succeeded', { payment_id: payment.id, reference, amount_cents: amountCents });
    return { status: 201, json: payment };
  });
}

function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
