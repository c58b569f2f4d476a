import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startShopService } from './support.js';

/** A stand-in OTLP/HTTP receiver that records what it is sent. */
async function startCollector() {
  const received = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { path: req.url, contentType: req.headers['content-type'], body: Buffer.concat(chunks) };
      received.push(entry);
      for (const waiter of [...waiters]) if (waiter.match(entry)) waiter.resolve(entry);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    /** Resolves with the first export (already received or still to come) that `match` accepts. */
    waitFor(match) {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()),
  };
}

const telemetryEnv = (endpoint) => ({
  OTEL_SDK_DISABLED: 'false',
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_BLRP_SCHEDULE_DELAY: '200',
  OTEL_METRIC_EXPORT_INTERVAL: '500',
  SLIPWAY_ENV: 'staging',
  SLIPWAY_REVISION: 'rev-test-1234',
});

describe('telemetry', () => {
  let collector;
  let catalog;
  let gateway;
  beforeAll(async () => {
    collector = await startCollector();
    catalog = await startShopService('catalog', { ...telemetryEnv(collector.url), SLIPWAY_SERVICE: 'catalog' });
    gateway = await startShopService('gateway', { ...telemetryEnv(collector.url), SLIPWAY_SERVICE: 'gateway', CATALOG_URL: catalog.url });
  });
  afterAll(async () => {
    expect(await gateway?.stop()).toBe(0);
    expect(await catalog?.stop()).toBe(0);
    await collector?.close();
  });

  it('exports traces, metrics and logs as OTLP protobuf, with the SQL and the resource attributes', async () => {
    expect((await request(`${gateway.url}/api/products/5`)).status).toBe(200);

    // Protobuf keeps strings as UTF-8, so attribute names and values can be found in the bytes.
    const has = (entry, ...texts) => texts.every((text) => entry.body.includes(text));
    const catalogTraces = await collector.waitFor((e) => e.path === '/v1/traces' && has(e, 'catalog', 'db.statement'));
    expect(catalogTraces.contentType).toBe('application/x-protobuf');
    expect(has(catalogTraces, 'sqlite', 'WHERE product_sku = ?', 'deployment.environment', 'staging', 'rev-test-1234')).toBe(true);

    const gatewayTraces = await collector.waitFor((e) => e.path === '/v1/traces' && has(e, 'gateway', '/api/products/5'));
    expect(gatewayTraces.contentType).toBe('application/x-protobuf');
    await collector.waitFor((e) => e.path === '/v1/metrics' && e.contentType === 'application/x-protobuf');
    await collector.waitFor((e) => e.path === '/v1/logs' && has(e, 'request'));
  });

  it('propagates one trace from the gateway to the catalog, visible in both logs', async () => {
    expect((await request(`${gateway.url}/api/products/6`)).status).toBe(200);
    const isRequest = (path) => (l) => l.msg === 'request' && l.path === path;
    const gatewayLine = await gateway.waitForLog(isRequest('/api/products/6'));
    const catalogLines = await Promise.all(['/products/6', '/products/6/reviews-summary'].map((p) => catalog.waitForLog(isRequest(p))));
    expect(gatewayLine.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(gatewayLine.span_id).toMatch(/^[0-9a-f]{16}$/);
    for (const line of catalogLines) expect(line.trace_id).toBe(gatewayLine.trace_id);
  });
});

describe('telemetry with no collector listening', () => {
  it('still serves requests quickly and exits 0 on SIGTERM', async () => {
    const service = await startShopService('payments', telemetryEnv('http://127.0.0.1:1'));
    try {
      for (let i = 0; i < 5; i++) {
        const res = await request(`${service.url}/charge`, { method: 'POST', body: { amountCents: 100, card: '4242424242424242' } });
        expect(res.status).toBe(201);
        expect(res.ms).toBeLessThan(1000);
      }
    } finally {
      const started = Date.now();
      expect(await service.stop()).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
