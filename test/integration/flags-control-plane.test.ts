import fs from 'node:fs';
import path from 'node:path';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { FlagDto, FlagListDto } from '../../src/shared/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// `slipway up` on an app with flags: a service task started by the runtime gets the OFREP URL
// and its own read-only token; the published OpenFeature SDK with the OFREP provider evaluates
// with that token; the flags API and the CLI change flags; every change is in the event log.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const TOKEN = 'flags-control-plane-token-0123456789';
const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

const newCheckout = (percentage: number) => ({ default: false, rules: [{ match: { plan: 'beta' }, value: true }, { percentage, value: true }] });

function writeConfig(dir: string): string {
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
  const config = {
    name: 'flagged',
    services: { checkout: { path: FIXTURES, start: 'node flags-service.mjs', health, ingress: { pathPrefix: '/' } } },
    environments: { production: { ingressPort: 0 } },
    flags: {
      newCheckout: newCheckout(10),
      banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }], description: 'the pro banner' },
    },
  };
  const file = path.join(dir, 'slipway.config.json');
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

let tmp: { path: string; cleanup: () => void };
let cp: ControlPlane;
let ingress: string;
let taskEnv: { url: string | null; token: string | null; environment: string; service: string };
let client: Client;

const api = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${cp.url}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
};

/** Runs the CLI in process against the control plane; returns exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  vi.stubEnv('SLIPWAY_TOKEN', TOKEN);
  try {
    const code = await main(['node', 'slipway', '--url', cp.url, ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** `newCheckout` for every key, 50 requests in flight at a time. */
async function newCheckoutFor(keys: readonly string[]): Promise<Map<string, { value: boolean; reason: string | undefined }>> {
  const out = new Map<string, { value: boolean; reason: string | undefined }>();
  for (let i = 0; i < keys.length; i += 50) {
    const chunk = keys.slice(i, i + 50);
    const details = await Promise.all(chunk.map((k) => client.getBooleanDetails('newCheckout', false, { targetingKey: k })));
    details.forEach((d, j) => out.set(chunk[j]!, { value: d.value, reason: d.reason }));
  }
  return out;
}

beforeAll(async () => {
  tmp = tempDir('slipway-flags-');
  // GIVEN slipway up on an app with two flags and one service, the API on a port picked at start
  cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, token: TOKEN, configFile: writeConfig(tmp.path), drainMs: 100, otlpPort: null, xrayPort: null });
  const status = await cp.runtime!.status();
  const port = status.router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production')!.port;
  ingress = `http://127.0.0.1:${port}`;
  taskEnv = await waitFor('the checkout task to answer through the ingress', async () => {
    const res = await fetch(`${ingress}/flags-env`).catch(() => undefined);
    return res?.status === 200 ? ((await res.json()) as typeof taskEnv) : undefined;
  }, 20_000);
  await OpenFeature.setProviderAndWait('flags-cp', new OFREPProvider({ baseUrl: taskEnv.url!, headers: { Authorization: `Bearer ${taskEnv.token}` } }));
  client = OpenFeature.getClient('flags-cp');
}, 60_000);

afterAll(async () => {
  await OpenFeature.close();
  await cp?.close({ stopTasks: true });
  tmp?.cleanup();
});

describe('flags in the control plane', () => {
  it('gives each task the OFREP URL and a read-only token bound to its environment and service', async () => {
    // THEN the task was told the OFREP worker's address (off the API's event loop) and a token for production/checkout
    expect(taskEnv.url).toBe(cp.ofrep!.url);
    expect(taskEnv.url).not.toBe(cp.url);
    expect(taskEnv.token).toMatch(/^flg\.production\.checkout\.[A-Za-z0-9_-]{43}$/);
    expect(cp.flags.store.list('production').map((f) => [f.flag.key, f.version])).toEqual([['banner', 1], ['newCheckout', 1]]);
    // AND the service itself evaluates with it
    const res = (await (await fetch(`${ingress}/evaluate/banner?plan=pro&targetingKey=u1`)).json()) as { status: number; body: unknown };
    expect(res).toEqual({ status: 200, body: { key: 'banner', value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1', metadata: { version: 1 } } });
    // AND its signing key is kept 0600 in the data directory, so restarts keep the tokens valid
    expect(fs.statSync(cp.dataDir.flagsKeyFile).mode & 0o777).toBe(0o600);
  });

  it('answers OFREP on the API port as on the worker, for callers of the control plane', async () => {
    const ask = async (base: string) => {
      const res = await fetch(`${base}/ofrep/v1/evaluate/flags/banner`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${taskEnv.token}` }, body: JSON.stringify({ context: { targetingKey: 'u1', plan: 'pro' } }) });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await ask(cp.url)).toEqual(await ask(taskEnv.url!));
    expect((await ask(cp.url)).status).toBe(200);
  });

  it.each(['API', 'worker'])('refuses OFREP on the %s port without a flag token, with the API token, and the flags API with a flag token', async (where) => {
    const ofrep = `${where === 'API' ? cp.url : taskEnv.url}/ofrep/v1/evaluate/flags/banner`;
    const body = JSON.stringify({ context: { targetingKey: 'u1' } });
    const headers = { 'content-type': 'application/json' };
    const anonymous = await fetch(ofrep, { method: 'POST', headers, body });
    const apiToken = await fetch(ofrep, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body });
    const forged = await fetch(ofrep, { method: 'POST', headers: { ...headers, authorization: `Bearer ${taskEnv.token!.replace('.checkout.', '.admin.')}` }, body });
    const flagTokenOnApi = await fetch(`${cp.url}/api/v1/flags`, { headers: { authorization: `Bearer ${taskEnv.token}` } });
    expect([anonymous.status, apiToken.status, forged.status, flagTokenOnApi.status]).toEqual([401, 401, 401, 401]);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('serves targeting rules, a 10 % split of 10 000 keys within ±2 %, and keeps everyone in when the API raises it to 20 %', async () => {
    // WHEN targeted contexts are evaluated THEN the matching rule decides, with its reason
    expect(await client.getStringDetails('banner', 'x', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1' });
    expect(await client.getStringDetails('banner', 'x', { targetingKey: 'u1', plan: 'free' })).toMatchObject({ value: 'off', reason: 'DEFAULT', variant: 'default' });
    expect(await client.getBooleanDetails('newCheckout', false, { targetingKey: 'u1', plan: 'beta' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });

    // WHEN 10 000 keys are evaluated at 10 %
    const at10 = await newCheckoutFor(KEYS);
    const in10 = KEYS.filter((k) => at10.get(k)!.value);
    expect(Math.abs((in10.length / KEYS.length) * 100 - 10)).toBeLessThanOrEqual(2);
    expect(new Set([...at10.values()].map((d) => `${d.value}/${d.reason}`))).toEqual(new Set(['true/SPLIT', 'false/DEFAULT']));

    // WHEN the split is raised to 20 % through the API
    const put = await api<FlagDto>('PUT', '/api/v1/flags/production/newCheckout', { definition: newCheckout(20), by: 'alice' });
    expect(put).toMatchObject({ status: 200, body: { environment: 'production', key: 'newCheckout', version: 2, enabled: true } });
    const at20 = await newCheckoutFor(KEYS);
    // THEN everyone in at 10 % is still in, and the share is 20 % ± 2 %
    expect(in10.filter((k) => !at20.get(k)!.value)).toEqual([]);
    const in20 = KEYS.filter((k) => at20.get(k)!.value);
    expect(Math.abs((in20.length / KEYS.length) * 100 - 20)).toBeLessThanOrEqual(2);
  }, 60_000);

  it("answers an unknown flag with the caller's default and a wrong type as TYPE_MISMATCH", async () => {
    expect(await client.getBooleanDetails('noSuchFlag', true, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(await client.getNumberDetails('banner', 7, { targetingKey: 'u1' })).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('turns a flag off with `slipway flags kill` (reason DISABLED) and back on with `flags enable`', async () => {
    // WHEN the kill switch is pulled from the CLI
    expect(await cli('flags', 'kill', 'production', 'newCheckout', '--by', 'oncall')).toEqual({ code: 0, out: 'production/newCheckout: version 3, disabled (serves its default)\n', err: '' });
    // THEN even a targeted context gets the default, with reason DISABLED
    expect(await client.getBooleanDetails('newCheckout', false, { targetingKey: 'u1', plan: 'beta' })).toMatchObject({ value: false, reason: 'DISABLED' });
    // WHEN it is enabled again THEN the rules decide again
    expect((await cli('flags', 'enable', 'production', 'newCheckout', '--by', 'oncall')).out).toBe('production/newCheckout: version 4, enabled\n');
    expect(await client.getBooleanDetails('newCheckout', false, { targetingKey: 'u1', plan: 'beta' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });

  it('lists, shows and sets flags from the CLI, and refuses a bad definition with the field', async () => {
    const list = await cli('flags', 'list', '--json');
    expect(JSON.parse(list.out) as FlagListDto).toMatchObject({ environments: [{ name: 'production', flags: [{ key: 'banner', version: 1 }, { key: 'newCheckout', version: 4, enabled: true }] }] });
    expect((await cli('flags', 'get', 'production', 'banner')).out).toBe('production/banner: version 1, enabled\n  the pro banner\n  default → "off"\n  1. plan="pro" → "on"\n');
    expect((await cli('flags', 'set', 'production', 'banner', '--value', 'on', '--by', 'bob')).out).toBe('production/banner: version 2, enabled\n');
    expect(await client.getStringDetails('banner', 'x', { targetingKey: 'u1', plan: 'free' })).toMatchObject({ value: 'on', reason: 'STATIC' });

    const bad = path.join(tmp.path, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ default: 'off', rules: [{ percentage: 150, value: 'on' }, { value: true }] }));
    const refused = await cli('flags', 'set', 'production', 'banner', '--file', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('slipway: body.definition.rules[0].percentage: too big: expected number to be <=100\n');
    const typed = path.join(tmp.path, 'typed.json');
    fs.writeFileSync(typed, JSON.stringify({ default: 'off', rules: [{ value: true }] }));
    expect((await cli('flags', 'set', 'production', 'banner', '--file', typed)).err).toBe('slipway: body.definition.rules[0].value: expected a string like the default, got true\n');
    expect((await cli('flags', 'kill', 'production', 'nope')).err).toBe('slipway: environment "production" has no flag "nope" (see `slipway flags list`)\n');

    const history = await cli('flags', 'history', 'production', 'newCheckout', '--json');
    expect((JSON.parse(history.out) as { version: number; change: string; actor: string }[]).map((v) => [v.version, v.change, v.actor])).toEqual([
      [4, 'Enabled', 'oncall'],
      [3, 'Disabled', 'oncall'],
      [2, 'Updated', 'alice'],
      [1, 'Seeded', 'app-model'],
    ]);
  });

  it('appends every change to the event log as flag.changed, with its actor', () => {
    const changes = cp.events.list({ type: 'flag.changed' }).map((e) => [e.subject, e.data.version, e.data.change, e.data.actor]);
    expect(changes).toEqual([
      ['flag/production/banner', 1, 'Seeded', 'app-model'],
      ['flag/production/newCheckout', 1, 'Seeded', 'app-model'],
      ['flag/production/newCheckout', 2, 'Updated', 'alice'],
      ['flag/production/newCheckout', 3, 'Disabled', 'oncall'],
      ['flag/production/newCheckout', 4, 'Enabled', 'oncall'],
      ['flag/production/banner', 2, 'Updated', 'bob'],
    ]);
  });

  it('counts the evaluations into telemetry as feature_flag.impressions of the calling service', async () => {
    await cp.ofrep!.flush();
    cp.flags.impressions.forceFlush();
    await cp.telemetry.forceFlush();
    const window = { periodMs: 3_600_000, startMs: Date.now() - 3_600_000, endMs: Date.now() + 1000 };
    const split = cp.telemetry.queryMetric({ name: 'feature_flag.impressions', dimensions: { service: 'checkout', environment: 'production', 'feature_flag.key': 'newCheckout', 'feature_flag.result.reason': 'SPLIT' }, stat: 'Sum', ...window });
    expect(split.values.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2_000);
  });

  it('rolls a change out from the CLI in steps, lists, shows, pauses, promotes and aborts rollouts, and refuses bad steps', async () => {
    // WHEN banner is rolled out to "new" in two steps from the CLI
    const started = await cli('flags', 'rollout', 'production', 'banner', '--value', 'new', '--steps', '10,100', '--interval', '10m', '--by', 'carol');
    expect(started).toMatchObject({ code: 0, err: '' });
    const id = Number(/^flag rollout (\d+) /.exec(started.out)?.[1]);
    expect(started.out).toBe(`flag rollout ${id} of production/banner: InProgress at 10% (step 1 of 2: 10% (10m) → 100%)\n`);
    // THEN the flag shows it, and the rollouts list it
    expect((await cli('flags', 'get', 'production', 'banner')).out).toContain(`production/banner: version 2, enabled, rollout ${id} at 10%`);
    const listed = JSON.parse((await cli('flags', 'rollouts', '--json')).out) as { rollouts: { id: number; state: string; actor: string }[] };
    expect(listed.rollouts[0]).toMatchObject({ id, state: 'InProgress', actor: 'carol' });
    expect((await cli('flags', 'rollouts', 'pause', String(id))).out).toContain('Paused at 10%');
    expect((await cli('flags', 'rollouts', 'show', String(id))).out).toBe(`flag rollout ${id} of production/banner: Paused at 10% (step 1 of 2: 10% (10m) → 100%)\n`);
    // WHEN promoted THEN it is the flag's next version
    expect((await cli('flags', 'rollouts', 'promote', String(id))).out).toBe(`flag rollout ${id} of production/banner: Succeeded at 100% (step 2 of 2: 10% (10m) → 100%), version 3\n`);
    expect(await client.getStringDetails('banner', 'x', { targetingKey: 'u1' })).toMatchObject({ value: 'new', reason: 'STATIC' });
    // WHEN another is aborted THEN the previous definition is served again
    const next = Number(/^flag rollout (\d+) /.exec((await cli('flags', 'rollout', 'production', 'banner', '--value', 'newer', '--steps', '50,100', '--interval', '10m')).out)?.[1]);
    expect((await cli('flags', 'rollouts', 'abort', String(next))).out).toMatch(new RegExp(`^flag rollout ${next} of production/banner: Stopped at 0% .*, reverted by abort in [0-9.]+ ms\\n$`));
    expect(await client.getStringDetails('banner', 'x', { targetingKey: 'u1' })).toMatchObject({ value: 'new' });
    // AND bad steps, a value of another type and a state that does not allow it are one clear line each
    expect((await cli('flags', 'rollout', 'production', 'banner', '--value', 'x', '--steps', '50,25,100')).err).toBe('slipway: body.strategy.steps: steps must increase and end at 100, got [50, 25, 100]\n');
    expect((await cli('flags', 'rollout', 'production', 'banner', '--value', 'true', '--steps', '50,100')).err).toBe('slipway: body.definition.default: expected a string like the served default ("new"), got true: a rollout keeps the flag\'s type\n');
    expect((await cli('flags', 'rollouts', 'resume', String(next))).err).toBe(`slipway: flag rollout ${next} is Stopped; only a rollout that is Paused can resume\n`);
  });
});
