import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { EventLog, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp } from '../../src/shared/index.js';
import type { Impression } from '../../src/flags/impressions/impression-counter.js';
import { FlagStore } from '../../src/flags/store/flag-store.js';
import { flagMigrations } from '../../src/flags/store/migrations.js';
import { flagCredentials } from '../../src/flags/ofrep/credentials.js';
import { ofrepRoutes } from '../../src/flags/ofrep/routes.js';
import { ofrepRequestListener } from '../../src/flags/ofrep/worker/ofrep-listener.js';
import { SnapshotFlagSource } from '../../src/flags/ofrep/worker/snapshot-source.js';

// The worker's listener and the API server's routes, side by side over real HTTP on loopback: for
// every OFREP case the same status, body, ETag and WWW-Authenticate, and the same impressions.

const GATEWAY = 'flag-credential-gateway-0123456789';
const UNBOUND = 'flag-credential-unbound-0123456789';

const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: {
    newCheckout: { default: false, rules: [{ percentage: 10, value: true }] },
    banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] },
    killSwitch: { default: false, rules: [{ value: true }] },
  },
});

let db: Db;
let store: FlagStore;
let source: SnapshotFlagSource;
let api: FastifyInstance;
let listener: http.Server;
let apiUrl: string;
let listenerUrl: string;
const counted = { api: [] as Impression[], listener: [] as Impression[] };

beforeAll(async () => {
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...flagMigrations] });
  store = new FlagStore(db, { appendEvent: () => {} });
  store.seed(model);
  store.setEnabled('production', 'killSwitch', false, { actor: 'oncall' });
  source = new SnapshotFlagSource(store.all());
  store.onChange(() => source.replace(store.all()));
  const authenticate = flagCredentials([
    { token: GATEWAY, caller: { service: 'gateway', environment: 'production' } },
    { token: UNBOUND, caller: { service: 'tools', environment: undefined } },
  ]);
  api = await buildServer({ events: new EventLog(db), token: 'api-token-0123456789abcdef', dashboardDir: null, routes: [ofrepRoutes({ store, authenticate, impressions: { record: (i) => counted.api.push(i) } })] });
  await api.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  listener = http.createServer(ofrepRequestListener({ store: source, authenticate, impressions: { record: (i) => counted.listener.push(i) } }));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await api?.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => listener?.close(resolve));
  db?.close();
});

interface Case {
  readonly method?: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Send no Authorization header. */
  readonly anonymous?: boolean;
}

async function ask(base: string, c: Case): Promise<{ status: number; body: unknown; etag: string | null; wwwAuthenticate: string | null }> {
  const res = await fetch(`${base}${c.path}`, { method: c.method ?? 'POST', headers: { ...(c.anonymous === true ? {} : { authorization: `Bearer ${GATEWAY}` }), ...(c.body === undefined ? {} : { 'content-type': 'application/json' }), ...c.headers }, body: c.body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), etag: res.headers.get('etag'), wwwAuthenticate: res.headers.get('www-authenticate') };
}

const ctx = (context: unknown): string => JSON.stringify({ context });

describe('the OFREP worker listener answers as the API server routes do', () => {
  it.each<[string, Case, number]>([
    // GIVEN one request THEN both servers answer it the same, with this status
    ['a served value', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({ targetingKey: 'u1', plan: 'pro' }) }, 200],
    ['a split', { path: '/ofrep/v1/evaluate/flags/newCheckout', body: ctx({ targetingKey: 'user-42' }) }, 200],
    ['a disabled flag', { path: '/ofrep/v1/evaluate/flags/killSwitch', body: ctx({ targetingKey: 'u1' }) }, 200],
    ['an unknown flag', { path: '/ofrep/v1/evaluate/flags/nope', body: ctx({ targetingKey: 'u1' }) }, 404],
    ['a percent-encoded key', { path: '/ofrep/v1/evaluate/flags/no%20such', body: ctx({}) }, 404],
    ['a split without targetingKey', { path: '/ofrep/v1/evaluate/flags/newCheckout', body: ctx({}) }, 400],
    ['a body that is not JSON', { path: '/ofrep/v1/evaluate/flags/banner', body: '{"context":' }, 400],
    ['an empty JSON body', { path: '/ofrep/v1/evaluate/flags/banner', body: '' }, 400],
    ['no body at all', { path: '/ofrep/v1/evaluate/flags/banner' }, 400],
    ['a context that is a list', { path: '/ofrep/v1/evaluate/flags/banner', body: '{"context":[]}' }, 400],
    ['a bulk body that is not JSON', { path: '/ofrep/v1/evaluate/flags', body: 'nope' }, 400],
    ['a body nested too deep', { path: '/ofrep/v1/evaluate/flags/banner', body: `${'['.repeat(200)}${']'.repeat(200)}` }, 400],
    ['a body that is not JSON by its type', { path: '/ofrep/v1/evaluate/flags/banner', body: 'x', headers: { 'content-type': 'text/plain' } }, 415],
    ['no credential', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({}), anonymous: true }, 401],
    ['an Authorization header that is not Bearer', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({}), headers: { authorization: `Basic ${GATEWAY}` } }, 401],
    ['a wrong credential', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({}), headers: { authorization: `Bearer ${GATEWAY}x` } }, 401],
    ['the credential as X-API-Key', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({ plan: 'pro' }), anonymous: true, headers: { 'x-api-key': GATEWAY } }, 200],
    ['a credential bound to no environment', { path: '/ofrep/v1/evaluate/flags/banner', body: ctx({}), headers: { authorization: `Bearer ${UNBOUND}` } }, 403],
    ['the bulk evaluation', { path: '/ofrep/v1/evaluate/flags', body: ctx({ targetingKey: 'u1' }) }, 200],
    ['the snapshot', { method: 'GET', path: '/flags/v1/snapshot' }, 200],
    ['a snapshot wait out of range', { method: 'GET', path: '/flags/v1/snapshot?waitMs=40000' }, 400],
    ['an impressions report', { path: '/flags/v1/impressions', body: JSON.stringify({ impressions: [{ flag: 'banner', variant: 'rule-1', reason: 'TARGETING_MATCH', count: 3 }] }) }, 204],
    ['an impressions report of a flag nobody declared', { path: '/flags/v1/impressions', body: JSON.stringify({ impressions: [{ flag: 'x', variant: 'default', reason: 'STATIC', count: 1 }] }) }, 400],
  ])('%s', async (_name, c, status) => {
    counted.api.length = 0;
    counted.listener.length = 0;
    const [fromApi, fromListener] = [await ask(apiUrl, c), await ask(listenerUrl, c)];
    expect(fromApi.status).toBe(status);
    expect(fromListener).toEqual(fromApi);
    expect(counted.listener).toEqual(counted.api);
  });

  it('answers a bulk request 304 with the ETag it gave, on either server, and 200 with a new one after a change', async () => {
    // GIVEN the bulk evaluation's ETag from the API server
    const first = await ask(apiUrl, { path: '/ofrep/v1/evaluate/flags', body: ctx({ targetingKey: 'u1' }) });
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    // WHEN the worker's listener is asked with it THEN 304, nothing counted
    counted.listener.length = 0;
    const again = await ask(listenerUrl, { path: '/ofrep/v1/evaluate/flags', body: ctx({ targetingKey: 'u1' }), headers: { 'if-none-match': first.etag! } });
    expect(again).toEqual({ status: 304, body: undefined, etag: first.etag, wwwAuthenticate: null });
    expect(counted.listener).toEqual([]);
    // WHEN a flag changes THEN both serve the new evaluation with the same new tag
    store.put('production', { ...store.get('production', 'banner').flag, defaultValue: 'soon' }, { actor: 'test' });
    await Promise.resolve();
    const [a, l] = [await ask(apiUrl, { path: '/ofrep/v1/evaluate/flags', body: ctx({ targetingKey: 'u1' }), headers: { 'if-none-match': first.etag! } }), await ask(listenerUrl, { path: '/ofrep/v1/evaluate/flags', body: ctx({ targetingKey: 'u1' }), headers: { 'if-none-match': first.etag! } })];
    expect(a.status).toBe(200);
    expect(a.etag).not.toBe(first.etag);
    expect(l).toEqual(a);
  });

  it('holds a snapshot long poll until a flag changes', async () => {
    const { etag } = await ask(listenerUrl, { method: 'GET', path: '/flags/v1/snapshot' });
    const held = ask(listenerUrl, { method: 'GET', path: '/flags/v1/snapshot?waitMs=10000', headers: { 'if-none-match': etag! } });
    // WHEN a flag changes while the poll is held THEN it answers with the new snapshot
    await new Promise((r) => setTimeout(r, 50));
    store.setEnabled('production', 'banner', false, { actor: 'test' });
    const answered = await held;
    expect(answered.status).toBe(200);
    expect(answered.etag).not.toBe(etag);
    expect((answered.body as { flags: { flag: { key: string }; enabled: boolean }[] }).flags.find((f) => f.flag.key === 'banner')?.enabled).toBe(false);
  });

  it('answers a path it does not serve 404 in the server error shape', async () => {
    const res = await ask(listenerUrl, { method: 'GET', path: '/api/v1/flags' });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'SLW_ERR_API_NOT_FOUND', message: 'no route GET /api/v1/flags' } } });
  });
});
