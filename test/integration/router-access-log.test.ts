import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// Correlation from the edge: the router gives every request an x-request-id and, when it has none,
// a W3C traceparent; it logs each request with both into /slipway/<env>/router, so one
// `filter @traceId` finds a request's router line beside the line the service wrote in it.

// A service that answers with the ids it was given, and logs one JSON line in the request's trace
// (as a service whose logger reads the incoming trace context does).
const SERVICE = `const http = require('node:http');
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  const traceId = (req.headers.traceparent || '').split('-')[1];
  process.stdout.write(JSON.stringify({ level: 'info', msg: 'served', trace_id: traceId, path: req.url }) + '\\n');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ requestId: req.headers['x-request-id'], traceparent: req.headers.traceparent }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const TOKEN = 'router-access-log-token-0123456789';
let tmp: { path: string; cleanup: () => void };
let cp: ControlPlane;
let ingress: string;

const query = async (q: string): Promise<Record<string, unknown>[]> => {
  const res = await fetch(`${cp.url}/api/v1/logs/query`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: q, since: '1h' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Record<string, unknown>[] }).rows;
};

beforeAll(async () => {
  tmp = tempDir('slipway-access-log-');
  const dir = path.join(tmp.path, 'app');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'server.cjs'), SERVICE);
  const config = {
    name: 'access',
    services: { web: { path: dir, start: 'node server.cjs', health: { path: '/healthz', interval: '300ms', timeout: '250ms', healthyThreshold: 1 }, ingress: { pathPrefix: '/app' } } },
    environments: { production: { ingressPort: 0 } },
  };
  const file = path.join(tmp.path, 'slipway.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, token: TOKEN, configFile: file, drainMs: 50, otlpPort: null, xrayPort: null, routerMetricsIntervalMs: 200 });
  ingress = await waitFor('the service to answer through the ingress', async () => {
    const port = (await cp.runtime!.status()).router.listeners.find((l) => l.kind === 'ingress')?.port;
    if (!port) return undefined;
    const ok = await fetch(`http://127.0.0.1:${port}/app/warm`).then((r) => r.status === 200, () => false);
    return ok ? `http://127.0.0.1:${port}` : undefined;
  }, 30_000);
}, 60_000);

afterAll(async () => {
  await cp?.close({ stopTasks: true });
  tmp?.cleanup();
});

describe('the router access log', () => {
  it('gives a request without ids a request id and a trace, and logs it with both beside the service\'s line', async () => {
    // WHEN a request without ids goes through the ingress
    const seen = (await (await fetch(`${ingress}/app/hello?x=1`)).json()) as { requestId: string; traceparent: string };
    // THEN the service got a request id and a new, sampled trace context
    expect(seen.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = seen.traceparent.split('-')[1]!;
    // AND the router logged the request with them, in production's router log group
    const logged = await waitFor('the router\'s line of the request', async () => {
      const rows = await query(`filter @log = "/slipway/production/router" and request_id = "${seen.requestId}" | fields method, url, status, router_made, @traceId, @logStream`);
      return rows[0];
    }, 10_000, 200);
    expect(logged).toEqual({ method: 'GET', url: '/app/hello?x=1', status: 200, router_made: 'false', '@traceId': traceId, '@logStream': 'web' });
    // AND one filter on the trace finds the router's line and the service's, in the order they happened
    const lines = await query(`filter @traceId = "${traceId}" | fields @log | sort @timestamp asc`);
    expect(lines.map((r) => r['@log']).sort()).toEqual(['/slipway/production/router', '/slipway/production/web']);
  });

  it('keeps the ids a client sends, and logs the answers the router makes itself', async () => {
    const traceparent = `00-${'4bf92f3577b34da6a3ce929d0e0e4736'}-00f067aa0ba902b7-01`;
    const seen = (await (await fetch(`${ingress}/app/mine`, { headers: { 'x-request-id': 'client-id-1', traceparent } })).json()) as { requestId: string; traceparent: string };
    expect(seen).toEqual({ requestId: 'client-id-1', traceparent });
    // A path no rule serves: the router's own 404, logged as router-made
    expect((await fetch(`${ingress}/nowhere`, { headers: { 'x-request-id': 'client-id-2' } })).status).toBe(404);
    const rows = await waitFor('both lines', async () => {
      const r = await query('filter @log = "/slipway/production/router" and request_id like "client-id-" | fields request_id, status, router_made, @traceId | sort request_id asc');
      return r.length === 2 ? r : undefined;
    }, 10_000, 200);
    expect(rows).toEqual([
      { request_id: 'client-id-1', status: 200, router_made: 'false', '@traceId': '4bf92f3577b34da6a3ce929d0e0e4736' },
      { request_id: 'client-id-2', status: 404, router_made: 'true', '@traceId': null },
    ]);
  });
});
