import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, testServer } from '../../test/support/server.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('dashboard login, session cookie and CSRF', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeEach(async () => {
    server = await testServer({ dashboardDir: null });
  });
  afterEach(() => server.close());

  const login = async () => {
    const link = (await server.app.inject({ method: 'POST', url: '/api/v1/session/links', headers: auth, payload: {} })).json() as { url: string };
    return new URL(link.url).searchParams.get('token')!;
  };

  it('exchanges a one-time token for an HttpOnly SameSite=Strict cookie, once', async () => {
    // GIVEN a login link made with the API token
    const token = await login();
    // WHEN the browser posts its token
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token } });
    // THEN it gets the session cookie
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/^slipway_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    // AND the same token does not work twice
    const again = await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.message).toBe('this login link is unknown, expired or already used; run `slipway dashboard` for a new one');
  });

  it('needs the API token to make a login link', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/session/links', payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it('lets the cookie read, and change state only with the CSRF header', async () => {
    const token = await login();
    const cookie = String((await server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token } })).headers['set-cookie']).split(';')[0]!;
    expect((await server.app.inject({ url: '/api/v1/status', headers: { cookie } })).statusCode).toBe(200);
    const event = { type: 'custom.note.added', subject: 'x' };
    const noCsrf = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: { cookie }, payload: event });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toEqual({ error: { code: 'SLW_ERR_API_FORBIDDEN', message: 'state-changing requests from the dashboard need the x-slipway-csrf header' } });
    const withCsrf = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: { cookie, 'x-slipway-csrf': '1' }, payload: event });
    expect(withCsrf.statusCode).toBe(201);
    expect((await server.app.inject({ url: '/api/v1/status', headers: { cookie: 'slipway_session=forged' } })).statusCode).toBe(401);
  });
});

describe('the dashboard files', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('serves files, falls back to index.html for app routes, never leaves its folder, and keeps /api 404s JSON', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    fs.mkdirSync(path.join(tmp.path, 'assets'));
    fs.writeFileSync(path.join(tmp.path, 'index.html'), '<!doctype html><title>slipway</title>');
    fs.writeFileSync(path.join(tmp.path, 'assets', 'app-1234.js'), 'console.log(1)');
    const server = await testServer({ dashboardDir: tmp.path });
    try {
      const index = await server.app.inject({ url: '/' });
      expect([index.statusCode, index.headers['content-type'], index.headers['cache-control'], index.body]).toEqual([200, 'text/html; charset=utf-8', 'no-cache', '<!doctype html><title>slipway</title>']);
      const asset = await server.app.inject({ url: '/assets/app-1234.js' });
      expect([asset.headers['content-type'], asset.headers['cache-control'], asset.body]).toEqual(['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', 'console.log(1)']);
      expect((await server.app.inject({ url: '/deployments/42' })).body).toBe('<!doctype html><title>slipway</title>');
      expect((await server.app.inject({ url: '/..%2f..%2fetc%2fpasswd' })).body).toBe('<!doctype html><title>slipway</title>');
      const api = await server.app.inject({ url: '/api/v1/nope', headers: auth });
      expect([api.statusCode, api.json().error.code]).toEqual([404, 'SLW_ERR_API_NOT_FOUND']);
    } finally {
      await server.close();
    }
  });
});
