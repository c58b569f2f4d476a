// Issue 12, finding 1: authentication was decided on the raw request URL while the router matched
// the decoded path. Each attack is sent byte for byte to a real listener on 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN, testServer } from '../support/server.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { tempDir } from '../support/temp-dir.js';

// What GET /api/v1/status would leak: the test looks for it in every refused answer.
const SECRET = 'status-secret-7f3a9c';
const UNAUTHORIZED = { error: { code: 'SLW_ERR_API_UNAUTHORIZED', message: 'Unauthorized' } };

describe('API authentication is decided on the routed path (issue 12, finding 1)', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let port: number;
  let cookie: string;
  let tmp: { path: string; cleanup: () => void };
  const host = () => `127.0.0.1:${port}`;

  /** One request, exactly as written, with Host and Connection: close unless `headers` says otherwise. */
  const send = (method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> => {
    const all: Record<string, string> = { host: host(), connection: 'close', ...headers };
    if (method !== 'GET' && method !== 'HEAD') all['content-length'] = String(Buffer.byteLength(body));
    const head = Object.entries(all)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    return rawRequest(port, `${method} ${target} HTTP/1.1\r\n${head}\r\n${body}`);
  };
  const bearer = { authorization: `Bearer ${TEST_TOKEN}` };
  const json = (r: RawResponse): unknown => JSON.parse(r.body);

  beforeAll(async () => {
    tmp = tempDir();
    fs.writeFileSync(path.join(tmp.path, 'index.html'), '<!doctype html><title>slipway</title>');
    server = await testServer({ dashboardDir: tmp.path, status: new Map([['server', () => ({ secret: SECRET })]]) });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as { port: number }).port;
    // A dashboard session, opened the way the browser opens one.
    const link = JSON.parse((await send('POST', '/api/v1/session/links', { ...bearer, 'content-type': 'application/json' }, '{}')).body) as { url: string };
    const login = await send('POST', '/api/v1/session', { 'content-type': 'application/json' }, JSON.stringify({ token: new URL(link.url).searchParams.get('token') }));
    cookie = login.headers['set-cookie']!.split(';')[0]!;
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it.each<[string, string, string, number, unknown]>([
    // GIVEN an anonymous caller WHEN it spells the protected route another way THEN the route's own auth applies
    ['an encoded letter', 'GET', '/%61pi/v1/status', 401, UNAUTHORIZED],
    ['encoded letters everywhere', 'GET', '/%61%70%69/%761/%73tatus', 401, UNAUTHORIZED],
    ['a login link minted through an encoded path, with no body', 'POST', '/%61pi/v1/session/links', 401, UNAUTHORIZED],
    ['a doubled slash', 'GET', '/api//v1/status', 401, UNAUTHORIZED],
    ['a trailing slash', 'GET', '/api/v1/status/', 401, UNAUTHORIZED],
    ['an encoded dot segment', 'GET', '/api/v1/%2e%2e/v1/status', 401, UNAUTHORIZED],
    ['an encoded slash', 'GET', '/api/v1%2fstatus', 401, UNAUTHORIZED],
    ['a path parameter', 'GET', '/api/v1/status;x=1', 401, UNAUTHORIZED],
    ['an encoded event stream', 'GET', '/%61pi/v1/events/stream', 401, UNAUTHORIZED],
    ['a state change through an encoded path', 'POST', '/%61pi/v1/events', 401, UNAUTHORIZED],
    // The router is case-sensitive and takes no leading double slash: these are no API routes, and the dashboard does not answer them either.
    ['capitals (a different route to a case-sensitive router)', 'GET', '/API/v1/status', 404, { error: { code: 'SLW_ERR_API_NOT_FOUND', message: 'no route GET /API/v1/status' } }],
    ['a leading double slash', 'GET', '//api/v1/status', 404, { error: { code: 'SLW_ERR_API_NOT_FOUND', message: 'no route GET //api/v1/status' } }],
  ])('refuses %s: %s %s with %i and no data', async (_name, method, target, status, body) => {
    const res = await send(method, target);
    expect(res.status).toBe(status);
    expect(json(res)).toEqual(body);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('/login?token=');
  });

  it.each([
    ['an absolute-form target', 'GET', 'http://127.0.0.1/api/v1/status'],
    ['an absolute-form target naming the listener', 'GET', `http://127.0.0.1:PORT/api/v1/status`],
    ['an absolute-form login link', 'POST', 'http://127.0.0.1/api/v1/session/links'],
    ['the asterisk form', 'OPTIONS', '*'],
  ])('refuses %s with 400, even with the token', async (_name, method, target) => {
    for (const headers of [{}, bearer]) {
      const res = await send(method, target.replace('PORT', String(port)), headers);
      expect(res.status).toBe(400);
      expect((json(res) as { error: { code: string } }).error.code).toBe('SLW_ERR_API_REQUEST_TARGET');
      expect(res.body).not.toContain(SECRET);
    }
  });

  it('refuses a target the router cannot decode with 400 in the one error shape', async () => {
    const res = await send('GET', '/api/v1/%zz');
    expect([res.status, (json(res) as { error: { code: string } }).error.code]).toEqual([400, 'SLW_ERR_API_REQUEST_TARGET']);
  });

  it.each([
    ['a rebinding name', { host: 'evil.example:PORT' }],
    ['a rebinding name on port 80', { host: 'evil.example' }],
    ['a name that only ends in localhost', { host: 'localhost.evil.example:PORT' }],
    ["inject()'s Host over a real socket", { host: 'localhost:80' }],
  ])('refuses %s in Host with 421, even with the token', async (_name, headers) => {
    // GIVEN a page on another name that DNS now points at 127.0.0.1 WHEN it calls the API THEN the Host gives it away
    const res = await send('GET', '/api/v1/status', { ...bearer, host: headers.host.replace('PORT', String(port)) });
    expect(res.status).toBe(421);
    expect((json(res) as { error: { code: string } }).error.code).toBe('SLW_ERR_API_HOST_NOT_ALLOWED');
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses a request without a Host (HTTP/1.0) with 421', async () => {
    const res = await rawRequest(port, `GET /api/v1/status HTTP/1.0\r\nauthorization: ${bearer.authorization}\r\n\r\n`);
    expect([res.status, (json(res) as { error: { code: string } }).error.code]).toEqual([421, 'SLW_ERR_API_HOST_NOT_ALLOWED']);
  });

  it.each([
    ['localhost', 'localhost:PORT'],
    ['the IPv6 loopback', '[::1]:PORT'],
    ['localhost in capitals', 'LOCALHOST:PORT'],
  ])('answers the token holder on %s', async (_name, hostHeader) => {
    const res = await send('GET', '/api/v1/status', { ...bearer, host: hostHeader.replace('PORT', String(port)) });
    expect([res.status, json(res)]).toEqual([200, { server: { secret: SECRET } }]);
  });

  it.each([
    ['a cross-site form post (a "simple" request: no preflight, no custom header)', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'SLW_ERR_API_CROSS_SITE'],
    ['a cross-site fetch that somehow carries the CSRF header', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'x-slipway-csrf': '1', 'content-type': 'application/json' }, 'SLW_ERR_API_CROSS_SITE'],
    ["a page of the app's own service on another port (same site)", { 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:8080', 'x-slipway-csrf': '1', 'content-type': 'application/json' }, 'SLW_ERR_API_CROSS_SITE'],
    ['another origin from an older browser (no Sec-Fetch-Site)', { origin: 'http://localhost:8080', 'x-slipway-csrf': '1', 'content-type': 'application/json' }, 'SLW_ERR_API_CROSS_SITE'],
    ['an opaque origin (sandboxed frame, file://)', { origin: 'null', 'x-slipway-csrf': '1', 'content-type': 'application/json' }, 'SLW_ERR_API_CROSS_SITE'],
    ['a same-origin post without the CSRF header', { 'sec-fetch-site': 'same-origin', origin: 'http://HOST', 'content-type': 'application/json' }, 'SLW_ERR_API_FORBIDDEN'],
  ])('refuses %s with the session cookie: 403, nothing appended', async (_name, headers, code) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('HOST', host())]));
    const before = server.events.lastSeq();
    const res = await send('POST', '/api/v1/events', { ...h, cookie }, JSON.stringify({ type: 'custom.attack', subject: 'x' }));
    expect(res.status).toBe(403);
    expect((json(res) as { error: { code: string } }).error.code).toBe(code);
    expect(server.events.lastSeq()).toBe(before);
  });

  it('does not let a dashboard session mint login links', async () => {
    const res = await send('POST', '/api/v1/session/links', { cookie, 'x-slipway-csrf': '1', origin: `http://${host()}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{}');
    expect([res.status, (json(res) as { error: { code: string } }).error.code]).toEqual([403, 'SLW_ERR_API_TOKEN_REQUIRED']);
    expect(res.body).not.toContain('/login?token=');
  });

  it('still serves the token holder and the dashboard, whatever the spelling of the path', async () => {
    // WHEN the same requests carry the token THEN they reach their routes
    expect(json(await send('GET', '/api/v1/status', bearer))).toEqual({ server: { secret: SECRET } });
    expect(json(await send('GET', '/%61pi/v1/status', bearer))).toEqual({ server: { secret: SECRET } });
    const link = await send('POST', '/%61pi/v1/session/links', bearer);
    expect(link.status).toBe(200);
    expect((json(link) as { url: string }).url).toMatch(/\/login\?token=[\w-]+$/);
    expect((await send('GET', '/api//v1/status', bearer)).status).toBe(404);
    // AND the dashboard's own page posts with its cookie, same origin, with the CSRF header
    const own = await send('POST', '/api/v1/events', { cookie, 'x-slipway-csrf': '1', origin: `http://${host()}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, JSON.stringify({ type: 'custom.ok', subject: 'x' }));
    expect(own.status).toBe(201);
    expect((await send('GET', '/api/v1/status', { cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // AND the open routes stay open
    expect([(await send('GET', '/api/v1/health')).status, (await send('GET', '/')).body]).toEqual([200, '<!doctype html><title>slipway</title>']);
  });

  it('puts the security headers on every answer: data, refusals, 404s, the dashboard and the event stream', async () => {
    const answers = [
      await send('GET', '/api/v1/status', bearer),
      await send('GET', '/%61pi/v1/status'),
      await send('GET', 'http://127.0.0.1/api/v1/status'),
      await send('GET', '/api/v1/status', { host: 'evil.example' }),
      await send('GET', '/api/v1/%zz'),
      await send('GET', '/api/v1/nope', bearer),
      await send('GET', '/'),
    ];
    // The event stream takes the socket over and never ends: read its headers through fetch.
    const controller = new AbortController();
    const live = await fetch(`http://${host()}/api/v1/events/stream`, { headers: bearer, signal: controller.signal });
    const headersOf = (h: Readonly<Record<string, string>>) => [h['content-security-policy'], h['x-content-type-options'], h['referrer-policy'], h['x-frame-options']];
    const expected = [expect.stringContaining("frame-ancestors 'none'"), 'nosniff', 'no-referrer', 'DENY'];
    for (const a of answers) expect(headersOf(a.headers)).toEqual(expected);
    expect(headersOf(Object.fromEntries(live.headers))).toEqual(expected);
    controller.abort();
  });
});
