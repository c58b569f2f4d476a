import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/http.js';
import { CARD_DECLINED, CARD_OK, request, startShopService } from '../../test/support.js';
import { createPaymentsRouter, FAILURE_RATE, paymentsConfig } from './app.js';

// The routers log through lib/log.js; keep this test's own output quiet.
process.env.LOG_LEVEL = 'silent';

const charge = (router, body) => router.match('POST', '/charge').handler({ body });
const rejection = (promise) => promise.then(() => { throw new Error('expected a rejection'); }, (err) => err);

describe('payments config', () => {
  it('defaults to 20 ms latency and the FAILURE_RATE constant', () => {
    expect(paymentsConfig({})).toEqual({ latencyMs: 20, failureRate: FAILURE_RATE });
  });

  it('lets the environment override both, clamping the rate to [0, 1]', () => {
    expect(paymentsConfig({ PAYMENTS_LATENCY_MS: '150', PAYMENTS_FAILURE_RATE: '0.25' })).toEqual({ latencyMs: 150, failureRate: 0.25 });
    expect(paymentsConfig({ PAYMENTS_FAILURE_RATE: '7' }).failureRate).toBe(1);
    expect(paymentsConfig({ PAYMENTS_FAILURE_RATE: 'lots' }).failureRate).toBe(FAILURE_RATE);
  });
});

describe('POST /charge', () => {
  it('approves a valid card and returns the payment', async () => {
    const router = createPaymentsRouter({ latencyMs: 0, failureRate: 0 });
    const reply = await charge(router, { amountCents: 1299, card: CARD_OK, reference: 'ord_1' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ status: 'succeeded', amountCents: 1299, currency: 'USD', cardLast4: '4242', reference: 'ord_1' });
    expect(reply.json.id).toMatch(/^pay_/);
  });

  it('fails with 500 PROCESSOR_ERROR when the random draw falls under the failure rate', async () => {
    // GIVEN a failure rate of 30% and a draw of 0.2 (jitter draw first, then the failure draw)
    const draws = [0.5, 0.2];
    const router = createPaymentsRouter({ latencyMs: 0, failureRate: 0.3 }, () => draws.shift());
    // WHEN charging THEN the processor error surfaces as HTTP 500
    const err = await rejection(charge(router, { amountCents: 100, card: CARD_OK }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 500, code: 'PROCESSOR_ERROR' });
  });

  it('always fails at failure rate 1 and never at 0', async () => {
    const always = createPaymentsRouter({ latencyMs: 0, failureRate: 1 });
    const never = createPaymentsRouter({ latencyMs: 0, failureRate: 0 });
    for (let i = 0; i < 20; i++) {
      expect(await rejection(charge(always, { amountCents: 100, card: CARD_OK }))).toMatchObject({ status: 500 });
      expect((await charge(never, { amountCents: 100, card: CARD_OK })).status).toBe(201);
    }
  });

  it('declines the test card with 402 and rejects bad input with 400', async () => {
    const router = createPaymentsRouter({ latencyMs: 0, failureRate: 0 });
    expect(await rejection(charge(router, { amountCents: 100, card: CARD_DECLINED }))).toMatchObject({ status: 402, code: 'CARD_DECLINED' });
    expect(await rejection(charge(router, { amountCents: 100, card: '4242 4242 4242 4241' }))).toMatchObject({ status: 400, code: 'INVALID_CARD' });
    expect(await rejection(charge(router, { amountCents: 0, card: CARD_OK }))).toMatchObject({ status: 400, code: 'INVALID_AMOUNT' });
  });
});

describe('payments service', () => {
  it('starts on a free port, answers health and charges, and exits 0 on SIGTERM', async () => {
    const service = await startShopService('payments');
    try {
      expect(service.port).toBeGreaterThan(0);
      const health = await request(`${service.url}/healthz`);
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
      const paid = await request(`${service.url}/charge`, { method: 'POST', body: { amountCents: 500, card: CARD_OK } });
      expect(paid.status).toBe(201);
      const broken = await request(`${service.url}/charge`, { method: 'POST', body: '{not json' });
      expect(broken).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('finishes an in-flight charge after SIGTERM, then exits 0 without waiting out keep-alive', async () => {
    const service = await startShopService('payments', { PAYMENTS_LATENCY_MS: '600', LOG_LEVEL: 'debug' });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const inFlight = request(`${service.url}/charge`, { method: 'POST', body: { amountCents: 500, card: CARD_OK }, agent });
      await service.waitForLog((l) => l.msg === 'request started' && l.path === '/charge');
      const started = Date.now();
      const exited = service.stop();
      expect((await inFlight).status).toBe(201);
      expect(await exited).toBe(0);
      // The kept-alive connection is closed as soon as its response is sent,
      // not after the 5 s keep-alive timeout.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(service.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: draining in-flight requests', 'stopped']));
    } finally {
      agent.destroy();
    }
  });
});
