import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlagStore, flagCredentials, flagMigrations, ofrepRoutes, type Impression } from '../../src/flags/index.js';
import { migrate } from '../../src/core/index.js';
import { resolveApp } from '../../src/shared/index.js';
import { TEST_TOKEN, testServer } from '../support/server.js';

// The OFREP routes as the API server serves them: statuses, bodies, credentials and ETags.

const GATEWAY = 'flag-credential-gateway-0123456789';
const UNBOUND = 'flag-credential-unbound-0123456789';

const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
  flags: {
    newCheckout: { default: false, rules: [{ percentage: 10, value: true }] },
    banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] },
  },
});

let server: Awaited<ReturnType<typeof testServer>>;
let store: FlagStore;
let impressions: Impression[];

const post = (url: string, payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${GATEWAY}` }) =>
  server.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

beforeEach(async () => {
  impressions = [];
  let storeRef: FlagStore | undefined;
  const authenticate = flagCredentials([
    { token: GATEWAY, caller: { service: 'gateway', environment: 'production' } },
    { token: UNBOUND, caller: { service: 'tools', environment: undefined } },
  ]);
  server = await testServer({
    dashboardDir: null,
    routes: [ofrepRoutes({ store: { list: (e) => storeRef!.list(e), tryGet: (e, k) => storeRef!.tryGet(e, k), onChange: (l) => storeRef!.onChange(l) }, authenticate, impressions: { record: (i) => impressions.push(i) } })],
  });
  migrate(server.db, flagMigrations);
  store = storeRef = new FlagStore(server.db, { appendEvent: () => {} });
  store.seed(model);
});

afterEach(async () => server.close());

describe('POST /ofrep/v1/evaluate/flags/{key}', () => {
  it('serves the value, reason, variant and the flag version', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/banner', { context: { targetingKey: 'u1', plan: 'pro' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ key: 'banner', value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1', metadata: { version: 1 } });
    expect(impressions).toEqual([{ environment: 'production', service: 'gateway', flag: 'banner', variant: 'rule-1', reason: 'TARGETING_MATCH' }]);
  });

  it('answers an unknown flag 404 FLAG_NOT_FOUND, and counts no impression for a key nobody declared', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/nope', { context: { targetingKey: 'u1' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ key: 'nope', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'flag "nope" was not found in environment "production"' });
    expect(impressions).toEqual([]);
  });

  it('answers a split without targetingKey 400 TARGETING_KEY_MISSING', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/newCheckout', { context: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ key: 'newCheckout', errorCode: 'TARGETING_KEY_MISSING' });
  });

  it.each<[string, string, string]>([
    // GIVEN a body OFREP does not allow THEN 400 with its error code and what was wrong
    ['no context', '{}', 'INVALID_CONTEXT'],
    ['a context that is a list', '{"context":[]}', 'INVALID_CONTEXT'],
    ['a numeric targetingKey', '{"context":{"targetingKey":7}}', 'INVALID_CONTEXT'],
    ['a body that is not JSON', '{"context":', 'PARSE_ERROR'],
  ])('refuses %s with 400 %s', async (_name, payload, errorCode) => {
    const res = await post('/ofrep/v1/evaluate/flags/banner', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ key: 'banner', errorCode });
    expect(res.json().errorDetails).toMatch(/^body/);
  });

  it('leaves limits that are not OFREP\'s to the server\'s error handler', async () => {
    // GIVEN a context nested deeper than the server allows THEN the server's own 400, in its own shape
    const deep = JSON.stringify({ context: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)) });
    const res = await post('/ofrep/v1/evaluate/flags/banner', deep);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SLW_ERR_API_TOO_DEEP');
  });

  it('serves a disabled flag its default with reason DISABLED', async () => {
    store.setEnabled('production', 'banner', false, { actor: 'oncall' });
    const res = await post('/ofrep/v1/evaluate/flags/banner', { context: { targetingKey: 'u1', plan: 'pro' } });
    expect(res.json()).toEqual({ key: 'banner', value: 'off', reason: 'DISABLED', variant: 'default', metadata: { version: 2 } });
  });
});

describe('flag credentials', () => {
  it.each<[string, Record<string, string>, number]>([
    // GIVEN what a request presents THEN whether it may evaluate flags
    ['no credential', {}, 401],
    ['a wrong credential', { authorization: 'Bearer not-a-flag-credential-000' }, 401],
    ['the API token, which is not a flag credential', { authorization: `Bearer ${TEST_TOKEN}` }, 401],
    ['a credential bound to no environment', { authorization: `Bearer ${UNBOUND}` }, 403],
    ['the flag credential as X-API-Key', { 'x-api-key': GATEWAY }, 200],
    ['the flag credential with a lowercase scheme', { authorization: `bearer ${GATEWAY}` }, 200],
  ])('%s → %i', async (_name, headers, status) => {
    const res = await post('/ofrep/v1/evaluate/flags/banner', { context: { targetingKey: 'u1' } }, headers);
    expect(res.statusCode).toBe(status);
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('checks the credential before reading the body', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/banner', '{not json', {});
    expect(res.statusCode).toBe(401);
  });
});

describe('POST /ofrep/v1/evaluate/flags (bulk)', () => {
  it('evaluates every flag of the environment, with an ETag', async () => {
    const res = await post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u1', plan: 'pro' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.json()).toEqual({
      flags: [
        { key: 'banner', value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1', metadata: { version: 1 } },
        expect.objectContaining({ key: 'newCheckout', metadata: { version: 1 } }),
      ],
      metadata: { environment: 'production' },
    });
    expect(impressions.map((i) => i.flag)).toEqual(['banner', 'newCheckout']);
  });

  it('answers 304 while If-None-Match names the current ETag, and 200 with a new one once a flag changed', async () => {
    // GIVEN a first answer and its ETag
    const context = { context: { targetingKey: 'u1' } };
    const etag = (await post('/ofrep/v1/evaluate/flags', context)).headers.etag as string;
    impressions = [];
    // WHEN asked again with it THEN 304, no body, nothing counted
    const same = await post('/ofrep/v1/evaluate/flags', context, { authorization: `Bearer ${GATEWAY}`, 'if-none-match': etag });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(etag);
    expect(impressions).toEqual([]);
    // WHEN a flag is disabled THEN the same request is a 200 with another ETag
    store.setEnabled('production', 'banner', false, { actor: 'oncall' });
    const changed = await post('/ofrep/v1/evaluate/flags', context, { authorization: `Bearer ${GATEWAY}`, 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().flags[0]).toMatchObject({ key: 'banner', reason: 'DISABLED' });
  });

  it('reports a flag that cannot be evaluated as a failure item, not a failed request', async () => {
    const res = await post('/ofrep/v1/evaluate/flags', { context: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().flags).toContainEqual({ key: 'newCheckout', errorCode: 'TARGETING_KEY_MISSING', errorDetails: expect.any(String) });
  });

  it.each<[string, string, string]>([
    ['no context', '{}', 'INVALID_CONTEXT'],
    ['a body that is not JSON', '[', 'PARSE_ERROR'],
  ])('refuses %s with 400 %s (bulkEvaluationFailure, without a key)', async (_name, payload, errorCode) => {
    const res = await post('/ofrep/v1/evaluate/flags', payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json()).sort()).toEqual(['errorCode', 'errorDetails']);
    expect(res.json().errorCode).toBe(errorCode);
  });
});
