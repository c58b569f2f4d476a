import fs from 'node:fs';
import path from 'node:path';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayProvider } from '../../src/flags/provider/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// The in-process provider against a real control plane: the published OpenFeature SDK with
// slipway's provider evaluates from a snapshot (no request per evaluation), agrees with the OFREP
// endpoint key by key, follows a change within the long poll, and reports its impressions.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const TOKEN = 'flags-provider-token-0123456789';
const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
const newCheckout = (percentage: number) => ({ default: false, rules: [{ match: { plan: 'beta' }, value: true }, { percentage, value: true }] });

let tmp: { path: string; cleanup: () => void };
let cp: ControlPlane;
let task: { url: string; token: string };
let provider: SlipwayProvider;
let local: Client;
let remote: Client;
const requests: string[] = [];

const api = async (method: string, url: string, body?: unknown, token = TOKEN): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${cp.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 || res.status === 304 ? null : await res.json() };
};

beforeAll(async () => {
  tmp = tempDir('slipway-flags-provider-');
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const config = {
    name: 'flagged',
    services: { checkout: { path: FIXTURES, start: 'node flags-service.mjs', health, ingress: { pathPrefix: '/' } } },
    environments: { production: { ingressPort: 0 } },
    flags: { newCheckout: newCheckout(10), limit: { default: 5, rules: [{ match: { plan: 'pro' }, value: 50 }] } },
  };
  const file = path.join(tmp.path, 'slipway.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, token: TOKEN, configFile: file, drainMs: 100, otlpPort: null, xrayPort: null });
  const port = (await cp.runtime!.status()).router.listeners.find((l) => l.kind === 'ingress')!.port;
  // The credentials a task of the runtime was given, as the service itself reads them.
  task = await waitFor('the checkout task to answer', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/flags-env`).catch(() => undefined);
    return res?.status === 200 ? ((await res.json()) as typeof task) : undefined;
  }, 20_000);
  const counting: typeof fetch = (input, init) => (requests.push(String(input)), fetch(input, init));
  provider = new SlipwayProvider({ url: task.url, token: task.token, waitMs: 2000, impressionIntervalMs: 60_000, fetch: counting });
  await OpenFeature.setProviderAndWait('local', provider);
  await OpenFeature.setProviderAndWait('remote', new OFREPProvider({ baseUrl: task.url, headers: { Authorization: `Bearer ${task.token}` } }));
  local = OpenFeature.getClient('local');
  remote = OpenFeature.getClient('remote');
}, 60_000);

afterAll(async () => {
  await OpenFeature.close();
  await cp?.close({ stopTasks: true });
  tmp?.cleanup();
});

describe('the in-process OpenFeature provider', () => {
  it('evaluates locally what the OFREP endpoint answers, key by key, without a request per evaluation', async () => {
    const before = requests.length;
    const values = await Promise.all(KEYS.map((k) => local.getBooleanValue('newCheckout', false, { targetingKey: k })));
    // 10 000 evaluations, and at most the background long poll went to the server meanwhile
    expect(requests.length - before).toBeLessThanOrEqual(2);
    const share = values.filter(Boolean).length / KEYS.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    // The same bucket for the same key, whichever way a service evaluates
    for (const k of KEYS.slice(0, 500)) expect(await remote.getBooleanValue('newCheckout', false, { targetingKey: k }), k).toBe(values[KEYS.indexOf(k)]);
    expect(await local.getBooleanDetails('newCheckout', false, { targetingKey: 'u1', plan: 'beta' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', variant: 'rule-1' });
    expect(await local.getNumberDetails('limit', 1, { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: 50, reason: 'TARGETING_MATCH' });
  });

  it('answers an unknown flag and a wrong type with the caller default and OpenFeature error codes', async () => {
    expect(await local.getBooleanDetails('nope', true, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(await local.getStringDetails('newCheckout', 'x', { targetingKey: 'u1' })).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('follows a raised percentage and a kill switch within the long poll, keeping everyone already in', async () => {
    const at10 = new Set(KEYS.filter((k) => provider.evaluate('newCheckout', false, { targetingKey: k }).value));
    expect((await api('PUT', '/api/v1/flags/production/newCheckout', { definition: newCheckout(20), by: 'alice' })).status).toBe(200);
    await waitFor('the provider to hold version 2', () => (provider.flags.find((f) => f.flag.key === 'newCheckout')?.version === 2 ? true : undefined), 5000);
    const at20 = KEYS.filter((k) => provider.evaluate('newCheckout', false, { targetingKey: k }).value);
    expect(Math.abs(at20.length / KEYS.length - 0.2)).toBeLessThan(0.02);
    expect([...at10].filter((k) => !at20.includes(k))).toEqual([]);
    expect((await api('POST', '/api/v1/flags/production/newCheckout/disable', { by: 'oncall' })).status).toBe(200);
    await waitFor('the provider to see the flag disabled', () => (provider.evaluate('newCheckout', false, { targetingKey: 'u1', plan: 'beta' }).reason === 'DISABLED' ? true : undefined), 5000);
  });

  it('serves a flag rollout in flight as OFREP does, and follows its abort within the long poll', async () => {
    // GIVEN a canary rollout of `limit` from 5 to 7 at 25 %, through the control plane's deployment engine
    const started = await api('POST', '/api/v1/flags/production/limit/rollouts', { definition: { default: 7 }, strategy: { type: 'canary', steps: [25, 100], interval: '10m' }, by: 'alice' });
    expect(started).toMatchObject({ status: 201, body: { state: 'InProgress', percent: 25 } });
    const id = (started.body as { id: number }).id;
    await waitFor('the provider to hold the rollout', () => (provider.flags.find((f) => f.flag.key === 'limit')?.rollout?.id === id ? true : undefined), 5000);
    // THEN about a quarter of the keys get 7 in process, the same keys as over OFREP
    const values = KEYS.map((k) => provider.evaluate('limit', 0, { targetingKey: k }).value);
    expect(Math.abs(values.filter((v) => v === 7).length / KEYS.length - 0.25)).toBeLessThan(0.02);
    for (const [i, k] of KEYS.slice(0, 300).entries()) expect(await remote.getNumberValue('limit', 0, { targetingKey: k }), k).toBe(values[i]);
    // WHEN it is aborted THEN everyone gets 5 again, in process too
    expect((await api('POST', `/api/v1/flag-rollouts/${id}/abort`, { by: 'alice' })).body).toMatchObject({ state: 'Stopped' });
    await waitFor('the provider to drop the rollout', () => (provider.flags.find((f) => f.flag.key === 'limit')?.rollout === undefined ? true : undefined), 5000);
    expect(new Set(KEYS.map((k) => provider.evaluate('limit', 0, { targetingKey: k }).value))).toEqual(new Set([5]));
  });

  it('reports its evaluations as impressions of its service, and the server checks the report', async () => {
    await provider.flushImpressions();
    // The report went to the OFREP worker (the task's SLIPWAY_FLAGS_URL), which hands counts to the main thread in batches.
    await cp.ofrep!.flush();
    cp.flags.impressions.forceFlush();
    await cp.telemetry.forceFlush();
    const window = { periodMs: 3_600_000, startMs: Date.now() - 3_600_000, endMs: Date.now() + 1000 };
    // Every reason of newCheckout: 3 × 10 000 local evaluations above, against ~500 through OFREP
    const all = cp.telemetry.queryMetric({ name: 'feature_flag.impressions', dimensions: { service: 'checkout', environment: 'production', 'feature_flag.key': 'newCheckout' }, stat: 'Sum', ...window });
    expect(all.values.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30_000);
    // A report naming a flag the environment does not have, or a made-up variant, is refused
    expect(await api('POST', '/flags/v1/impressions', { impressions: [{ flag: 'made-up', variant: 'default', reason: 'STATIC', count: 1 }] }, task.token)).toMatchObject({ status: 400, body: { error: { code: 'SLW_ERR_API_VALIDATION', message: 'impressions[0].flag: no flag "made-up" in this environment' } } });
    expect((await api('POST', '/flags/v1/impressions', { impressions: [{ flag: 'limit', variant: 'x'.repeat(40), reason: 'STATIC', count: 1 }] }, task.token)).status).toBe(400);
    // AND the snapshot answers only a flag token, with a bounded wait
    expect((await api('GET', '/flags/v1/snapshot')).status).toBe(401);
    expect((await api('GET', '/flags/v1/snapshot?waitMs=99999', undefined, task.token)).status).toBe(400);
  });
});
