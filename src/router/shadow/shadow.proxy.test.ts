import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../router.js';
import { simpleTable } from '../testing.js';

/** What a test backend was sent. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly mirrored: boolean;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A backend whose answer `answer` decides; it records what it was sent. */
async function backend(answer: (req: Seen, res: http.ServerResponse) => void): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), mirrored: req.headers['x-slipway-mirrored'] === '1' };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, seen };
}

const json = (res: http.ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() });
  res.end(JSON.stringify(body));
};

function router(): Router {
  const r = createRouter({ drainTimeoutMs: 100 });
  cleanups.push(() => r.close());
  return r;
}

async function shadowRouter(primaryPort: number, shadowPort: number, mirror: Record<string, unknown>): Promise<{ r: Router; port: number }> {
  const r = router();
  await r.applyTable(
    simpleTable(
      1,
      [
        { id: 'blue', weightPercent: 100, ports: [primaryPort] },
        { id: 'green', weightPercent: 0, ports: [shadowPort] },
      ],
      { mirror: { targetGroupId: 'green', percent: 100, compare: { id: 'cmp-1' }, ...mirror } as never },
    ),
  );
  return { r, port: r.status().listeners.find((l) => l.id === 'web')!.port };
}

async function call(port: number, path: string, init: { method?: string; body?: string | AsyncIterable<Buffer>; headers?: Record<string, string> } = {}) {
  const res = await request(`http://127.0.0.1:${port}${path}`, { method: (init.method ?? 'GET') as 'GET', body: init.body as string, headers: init.headers });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('shadow comparison in the router', () => {
  it('GIVEN a shadow that differs on 1 request in 10 and a noisy timestamp THEN the report counts 1 differing, names its path and fields, ignores the timestamp', async () => {
    const primary = await backend((s, res) => json(res, { path: s.url, price: 10, ts: Date.now() + Math.random() }));
    const shadow = await backend((s, res) => json(res, { path: s.url, price: s.url.endsWith('/7') ? 11 : 10, ts: Date.now() + Math.random() }));
    const { r, port } = await shadowRouter(primary.port, shadow.port, { compare: { id: 'cmp-1', ignore: ['$.ts'] } });
    for (let i = 0; i < 10; i++) expect((await call(port, `/items/${i}`)).status).toBe(200);
    await expect.poll(() => r.shadowReport('cmp-1')?.compared).toBe(10);
    const report = r.shadowReport('cmp-1')!;
    expect({ mirrored: report.mirrored, differing: report.differing, statusPairs: report.statusPairs, fields: report.fields }).toEqual({ mirrored: 10, differing: 1, statusPairs: { '200→200': 1 }, fields: { '$.price': 1 } });
    expect(report.samples).toEqual([expect.objectContaining({ method: 'GET', path: '/items/7', primaryStatus: 200, shadowStatus: 200, fields: ['$.price'], error: null })]);
    expect(report.latency.primaryP99Ms).toBeGreaterThan(0);
    expect(report.latency.p99Ratio).not.toBeNull();
    // AND every mirrored copy was marked as such; the client only ever saw the primary
    expect(shadow.seen.every((s) => s.mirrored)).toBe(true);
    expect(primary.seen.some((s) => s.mirrored)).toBe(false);
  });

  it('GIVEN a POST WHEN the shadow does not list POST THEN it is not mirrored (skipped: method); WHEN it does THEN the copy carries the same body', async () => {
    const primary = await backend((s, res) => json(res, { got: s.body }));
    const shadow = await backend((s, res) => json(res, { got: s.body }));
    const { r, port } = await shadowRouter(primary.port, shadow.port, {});
    expect((await call(port, '/orders', { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } })).body).toBe('{"got":"{\\"n\\":1}"}');
    expect((await call(port, '/orders', { method: 'DELETE' })).status).toBe(200);
    await expect.poll(() => r.shadowReport('cmp-1')?.skipped.method).toBe(2);
    expect(shadow.seen).toEqual([]);

    const second = await shadowRouter(primary.port, shadow.port, { methods: ['GET', 'POST'], compare: { id: 'cmp-2' } });
    await call(second.port, '/orders', { method: 'POST', body: '{"n":2}', headers: { 'content-type': 'application/json' } });
    // A chunked body (no Content-Length) is teed as it streams, too.
    async function* chunks() {
      yield Buffer.from('{"n":');
      yield Buffer.from('3}');
    }
    await call(second.port, '/orders', { method: 'POST', body: chunks() });
    await expect.poll(() => second.r.shadowReport('cmp-2')?.compared).toBe(2);
    expect(shadow.seen.map((s) => [s.method, s.body])).toEqual([['POST', '{"n":2}'], ['POST', '{"n":3}']]);
    expect(second.r.shadowReport('cmp-2')!.differing).toBe(0);
  });

  it('GIVEN bodies larger than maxBodyBytes (declared or chunked) THEN they are not mirrored, counted as skipped, and the primary gets them whole', async () => {
    const primary = await backend((s, res) => json(res, { length: s.body.length }));
    const shadow = await backend((s, res) => json(res, { length: s.body.length }));
    const { r, port } = await shadowRouter(primary.port, shadow.port, { methods: ['POST'], maxBodyBytes: 100 });
    const big = 'x'.repeat(5000);
    expect((await call(port, '/upload', { method: 'POST', body: big })).body).toBe('{"length":5000}');
    async function* chunked() {
      for (let i = 0; i < 50; i++) yield Buffer.from('y'.repeat(100));
    }
    expect((await call(port, '/upload', { method: 'POST', body: chunked() })).body).toBe('{"length":5000}');
    // A body under the limit is still mirrored.
    await call(port, '/upload', { method: 'POST', body: 'small' });
    await expect.poll(() => r.shadowReport('cmp-1')?.compared).toBe(1);
    expect(r.shadowReport('cmp-1')!.skipped.bodyTooLarge).toBe(2);
    expect(shadow.seen.map((s) => s.body)).toEqual(['small']);
  });

  it('GIVEN a shadow that hangs THEN the primary answers at once, copies beyond maxConcurrent are skipped, and the timed-out ones count as differing errors', async () => {
    const held: http.ServerResponse[] = [];
    const primary = await backend((_s, res) => json(res, { ok: true }));
    const shadow = await backend((_s, res) => void held.push(res));
    const { r, port } = await shadowRouter(primary.port, shadow.port, { maxConcurrent: 2, timeoutMs: 1500 });
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect((await call(port, `/x/${i}`)).body).toBe('{"ok":true}');
    // The primary path never waited for the shadow (which answers nothing for 1.5 s).
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.shadowReport('cmp-1')!.skipped.concurrency).toBe(3);
    await expect.poll(() => r.shadowReport('cmp-1')?.shadowErrors, { timeout: 5000 }).toBe(2);
    const report = r.shadowReport('cmp-1')!;
    expect([report.compared, report.differing, report.statusPairs]).toEqual([2, 2, { '200→error': 2 }]);
    expect(report.samples[0]).toMatchObject({ shadowStatus: null, error: 'timeout' });
    for (const res of held) res.destroy();
  });

  it('GIVEN the rule leaves the table THEN its final report can still be read; an unknown id has none', async () => {
    const primary = await backend((_s, res) => json(res, { ok: true }));
    const shadow = await backend((_s, res) => json(res, { ok: true }));
    const { r, port } = await shadowRouter(primary.port, shadow.port, {});
    await call(port, '/a');
    await expect.poll(() => r.shadowReport('cmp-1')?.compared).toBe(1);
    await r.applyTable(simpleTable(2, [{ id: 'blue', weightPercent: 100, ports: [primary.port] }, { id: 'green', weightPercent: 0, ports: [shadow.port] }]));
    expect(r.shadowReport('cmp-1')).toMatchObject({ compared: 1, differing: 0 });
    expect(r.shadowReports()).toEqual([{ id: 'cmp-1', active: false }]);
    expect(r.shadowReport('nope')).toBeUndefined();
  });

  it('GIVEN a bad ignore path in a table THEN the table is refused with the path of the entry', async () => {
    const r = router();
    await expect(
      r.applyTable(simpleTable(1, [{ id: 'blue', weightPercent: 100, ports: [1] }, { id: 'green', weightPercent: 0, ports: [2] }], { mirror: { targetGroupId: 'green', percent: 100, compare: { id: 'c', ignore: ['timestamp'] } } as never })),
    ).rejects.toMatchObject({ code: 'SLW_ERR_ROUTER_TABLE_INVALID', issues: [expect.objectContaining({ path: 'services[0].mirror.compare.ignore[0]' })] });
  });
});
