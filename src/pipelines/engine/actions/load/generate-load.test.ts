import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLoad, type LoadOptions } from './generate-load.js';

describe('generateLoad against a real server on loopback', () => {
  let server: http.Server;
  let origin: string;
  const seen: { method: string; url: string; body: string; header: string | undefined }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body, header: req.headers['x-load'] as string | undefined });
        if (req.url?.startsWith('/slow')) setTimeout(() => res.end('slow'), 40);
        else if (req.url?.startsWith('/fail')) res.writeHead(503).end('no');
        else res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const base = (): LoadOptions => ({ origin, path: '/', method: 'GET', headers: {}, body: undefined, durationMs: 500, concurrency: 4, ratePerSecond: undefined, maxRequests: 1_000_000, requestTimeoutMs: 2000, signal: new AbortController().signal });

  it('stops at maxRequests, sending the method, path, headers and body given', async () => {
    seen.length = 0;
    const f = await generateLoad({ ...base(), path: '/echo?q=1', method: 'POST', headers: { 'x-load': 'yes' }, body: 'hello', maxRequests: 25, durationMs: 10_000 });
    expect(f).toMatchObject({ requests: 25, errors: 0, byStatus: { '200': 25 } });
    expect(seen).toHaveLength(25);
    expect(seen[0]).toEqual({ method: 'POST', url: '/echo?q=1', body: 'hello', header: 'yes' });
  });

  it('measures the latency of a slow answer and counts 5xx as errors', async () => {
    const slow = await generateLoad({ ...base(), path: '/slow', durationMs: 400 });
    expect(slow.latencyMs!.p50).toBeGreaterThanOrEqual(39);
    expect(slow.requests).toBeGreaterThan(4);
    const failing = await generateLoad({ ...base(), path: '/fail', maxRequests: 10 });
    expect(failing).toMatchObject({ requests: 10, errors: 10, errorRate: 1, byStatus: { '503': 10 } });
  });

  it('paces requests to ratePerSecond', async () => {
    // GIVEN 20 requests a second for 500 ms WHEN loaded THEN about 10 are sent (slots at 0, 50, ... 450 ms), never the hundreds the server could take
    const f = await generateLoad({ ...base(), ratePerSecond: 20, durationMs: 500 });
    expect(f.requests).toBe(10);
  });

  it('stops early when its signal is aborted, returning the figures so far', async () => {
    // GIVEN a 30 s load on the slow path WHEN its signal aborts after 200 ms THEN it returns within a couple of seconds, having measured some requests
    const c = new AbortController();
    setTimeout(() => c.abort('Stopped'), 200);
    const started = performance.now();
    const f = await generateLoad({ ...base(), path: '/slow', durationMs: 30_000, signal: c.signal });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(f.requests).toBeGreaterThan(0);
  });

  it('counts a refused connection as an error, not a crash', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const f = await generateLoad({ ...base(), origin: `http://127.0.0.1:${port}`, maxRequests: 3 });
    expect(f).toMatchObject({ requests: 3, errors: 3, byStatus: { connection: 3 } });
  });
});
