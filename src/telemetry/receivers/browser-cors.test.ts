import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer } from '../../../test/support/server.js';
import { createTelemetry, type Telemetry } from '../index.js';
import { decideCors, preflightHeaders } from './browser-cors.js';

const PAGE = 'http://127.0.0.1:8080';
const ALLOWED = [PAGE, 'https://shop.example.com'];

describe('decideCors', () => {
  it.each([
    // GIVEN a request's Origin header THEN the verdict against the allow-list
    ['no Origin (an SDK in a process)', undefined, { kind: 'NoOrigin' }],
    ['an allowed origin', PAGE, { kind: 'Allowed', headers: { 'access-control-allow-origin': PAGE, vary: 'Origin' } }],
    ['another allowed origin', 'https://shop.example.com', { kind: 'Allowed', headers: { 'access-control-allow-origin': 'https://shop.example.com', vary: 'Origin' } }],
    ['another port', 'http://127.0.0.1:8081', { kind: 'Refused', origin: 'http://127.0.0.1:8081' }],
    ['another scheme', 'https://127.0.0.1:8080', { kind: 'Refused', origin: 'https://127.0.0.1:8080' }],
    ['a case variant (origins compare byte for byte)', 'https://SHOP.example.com', { kind: 'Refused', origin: 'https://SHOP.example.com' }],
    ['an allowed origin with a trailing slash', `${PAGE}/`, { kind: 'Refused', origin: `${PAGE}/` }],
    ['a sandboxed page', 'null', { kind: 'Refused', origin: 'null' }],
    ['two origins in one header', `${PAGE}, https://evil.example`, { kind: 'Refused', origin: `${PAGE}, https://evil.example` }],
  ])('%s', (_name, origin, expected) => {
    // WHEN decided
    expect(decideCors(origin, ALLOWED)).toEqual(expected);
  });

  it('refuses every page when the model allows none', () => {
    expect(decideCors(PAGE, [])).toEqual({ kind: 'Refused', origin: PAGE });
  });

  it('answers a preflight with the method, the headers an exporter sends and a max age', () => {
    const verdict = decideCors(PAGE, ALLOWED);
    if (verdict.kind !== 'Allowed') throw new Error('expected Allowed');
    expect(preflightHeaders(verdict)).toEqual({
      'access-control-allow-origin': PAGE,
      vary: 'Origin',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, content-encoding, x-slipway-ingest-key',
      'access-control-max-age': '600',
    });
  });
});

describe('browser telemetry through the real receiver', () => {
  let dir: string;
  let telemetry: Telemetry;
  let otlp: string;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let origins: string[];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cors-'));
    origins = [PAGE];
    telemetry = createTelemetry({ dataDir: dir, otlpPort: 0, xrayPort: null, rum: () => ({ origins, serviceName: 'shop-web', environments: ['production'] }) });
    otlp = `http://127.0.0.1:${(await telemetry.start()).otlpPort ?? 0}`;
    ({ app, close } = await testServer({ routes: [telemetry.routes] }));
  });
  afterEach(async () => {
    await close();
    await telemetry.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const key = () => telemetry.ingestKeys().browserKey('production', 'shop-web');
  const browserSpans = (traceId: string, service = 'shop-web') => {
    const now = BigInt(Date.now()) * 1_000_000n;
    return JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'telemetry.sdk.language', value: { stringValue: 'webjs' } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: '2000000000000001', name: 'documentLoad', kind: 1, startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now) }] }],
      }],
    });
  };
  const post = (origin: string | undefined, body: string, k = key()) =>
    fetch(`${otlp}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': k, ...(origin !== undefined ? { origin } : {}) } });

  it('answers the preflight of an allowed page with the CORS headers, and of any other with 403 and none', async () => {
    const preflight = (origin: string) =>
      fetch(`${otlp}/v1/traces`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-slipway-ingest-key' } });
    // WHEN the allowed page asks THEN 204 with its origin, POST, the key header and a max age
    const ok = await preflight(PAGE);
    expect([ok.status, ok.headers.get('access-control-allow-origin'), ok.headers.get('access-control-allow-methods'), ok.headers.get('access-control-max-age'), ok.headers.get('vary')]).toEqual([204, PAGE, 'POST', '600', 'Origin']);
    expect(ok.headers.get('access-control-allow-headers')?.split(', ')).toEqual(expect.arrayContaining(['content-type', 'x-slipway-ingest-key']));
    // WHEN another page asks THEN 403, no CORS header: the browser sends nothing
    const refused = await preflight('http://evil.example');
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    expect(((await refused.json()) as { message: string }).message).toContain('SLW_ERR_OTLP_ORIGIN_NOT_ALLOWED');
  });

  it('stores the spans of an allowed page and refuses another origin before reading its body', async () => {
    // WHEN the allowed page posts its spans with the browser key THEN 200, its origin allowed, the spans stored
    const ok = await post(PAGE, browserSpans('a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1'));
    expect([ok.status, ok.headers.get('access-control-allow-origin'), await ok.text()]).toEqual([200, PAGE, '{}']);
    // WHEN another page posts the same with the same key THEN 403 and nothing stored
    const refused = await post('http://evil.example', browserSpans('b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2'));
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    await telemetry.forceFlush();
    expect(telemetry.getTrace('a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1').spans.map((s) => s.service)).toEqual(['shop-web']);
    expect(() => telemetry.getTrace('b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2')).toThrow(/no trace/);
    expect(telemetry.status().counters.otlp.traces).toMatchObject({ requests: 2, accepted: 1, denied: 1 });
  });

  it('reads the allow-list at each request (an applied model changes it)', async () => {
    expect((await post('https://shop.example.com', browserSpans('c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3'))).status).toBe(403);
    origins = [PAGE, 'https://shop.example.com'];
    expect((await post('https://shop.example.com', browserSpans('c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3'))).status).toBe(200);
  });

  it('keeps the public key to the browser: no metrics, no other service, no API', async () => {
    // WHEN the page's key sends metrics THEN 403, unread
    const metrics = await fetch(`${otlp}/v1/metrics`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': key(), origin: PAGE } });
    expect([metrics.status, ((await metrics.json()) as { message: string }).message]).toEqual([403, 'a browser key writes traces and logs, not metrics (SLW_ERR_OTLP_FORBIDDEN)']);
    // WHEN it sends spans that claim to be gateway's THEN they are rejected, not relabelled
    const foreign = await post(PAGE, browserSpans('d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4', 'gateway'));
    expect(((await foreign.json()) as { partialSuccess: { rejectedSpans: string } }).partialSuccess.rejectedSpans).toBe('1');
    // WHEN it is used as a token on the API THEN every read is refused
    for (const url of ['/api/v1/traces', '/api/v1/service-map', '/api/v1/rum/pages', '/api/v1/logs/groups', '/api/v1/metrics/names', '/api/v1/status']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key()}`, 'x-slipway-ingest-key': key() } });
      expect([url, res.statusCode]).toEqual([url, 401]);
    }
  });

  it('shows the browser keys and the allow-list in the status', () => {
    expect(telemetry.status().ingest).toMatchObject({ browserKeys: { production: key() }, corsOrigins: [PAGE] });
  });
});
