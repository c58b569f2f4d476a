import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { EventLog, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { FlagStore, FlagTokens, ImpressionPublisher, OfrepEndpoint, flagMigrations, ofrepRoutes, type FlagChangedEvent } from '../../src/flags/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp } from '../../src/shared/index.js';
import type { MetricPoint } from '../../src/telemetry/index.js';
import type { FastifyInstance } from 'fastify';

// The published OpenFeature Node SDK with the published OFREP provider, against slipway's OFREP
// endpoint on loopback: what a service written against OpenFeature sees. Twice: the API server's
// routes, and the OFREP worker thread tasks are given (its entry compiled in dist/).

const SECRET = 'flag-signing-secret-openfeature-0123456789';
const FLAG_TOKEN = new FlagTokens(SECRET).tokenFor('production', 'gateway');
const KEYS = Array.from({ length: 2_000 }, (_, i) => `user-${i}`);

const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: {
    newCheckout: { default: false, rules: [{ percentage: 10, value: true }] },
    proBanner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] },
    theme: { default: 'grey', variants: { grey: { color: '#888' }, green: { color: '#0a0' } }, rules: [{ match: { plan: 'pro' }, value: 'green' }] },
    killSwitch: { default: false, rules: [{ value: true }] },
  },
});

describe.each(['API server routes', 'OFREP worker'])('OpenFeature against the %s', (where) => {
  let db: Db;
  let app: FastifyInstance;
  let store: FlagStore;
  let client: Client;
  const flagEvents: FlagChangedEvent[] = [];
  const published: MetricPoint[][] = [];
  let impressions: ImpressionPublisher;
  let worker: OfrepEndpoint | undefined;

  /** Evaluates `newCheckout` for every key, 10 requests in flight at a time (more only opens more connections). */
  async function newCheckoutFor(keys: readonly string[]): Promise<Map<string, { value: boolean; reason: string | undefined }>> {
    const out = new Map<string, { value: boolean; reason: string | undefined }>();
    for (let i = 0; i < keys.length; i += 10) {
      const chunk = keys.slice(i, i + 10);
      const details = await Promise.all(chunk.map((k) => client.getBooleanDetails('newCheckout', false, { targetingKey: k })));
      details.forEach((d, j) => out.set(chunk[j]!, { value: d.value, reason: d.reason }));
    }
    return out;
  }

  beforeAll(async () => {
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...flagMigrations] });
    store = new FlagStore(db, { appendEvent: (e) => flagEvents.push(e) });
    store.seed(model);
    store.setEnabled('production', 'killSwitch', false, { actor: 'oncall' });
    impressions = new ImpressionPublisher({ sink: (points) => published.push(points) });
    app = await buildServer({ events: new EventLog(db), token: 'api-token-0123456789abcdef', dashboardDir: null, routes: [ofrepRoutes({ store, authenticate: new FlagTokens(SECRET).check, impressions })] });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    let baseUrl = `http://127.0.0.1:${port}`;
    if (where === 'OFREP worker') {
      worker = new OfrepEndpoint({ store, secret: SECRET, impressions });
      baseUrl = await worker.start();
    }
    await OpenFeature.setProviderAndWait(`flags-${where}`, new OFREPProvider({ baseUrl, headers: { Authorization: `Bearer ${FLAG_TOKEN}` } }));
    client = OpenFeature.getClient(`flags-${where}`);
  });

  afterAll(async () => {
    await OpenFeature.close();
    await worker?.close();
    await app?.close();
    db?.close();
  });

  describe('a percentage split through the OpenFeature SDK', () => {
    it('serves 10 % of 2 000 keys within ±2 %, the same variant for the same key, and keeps them in at 20 %', async () => {
      // GIVEN newCheckout at 10 % WHEN 2 000 keys are evaluated twice THEN each key gets the same answer both times
      const first = await newCheckoutFor(KEYS);
      const again = await newCheckoutFor(KEYS.slice(0, 500));
      for (const [k, d] of again) expect(d).toEqual(first.get(k));
      const inAt10 = KEYS.filter((k) => first.get(k)!.value);
      expect(Math.abs((inAt10.length / KEYS.length) * 100 - 10)).toBeLessThanOrEqual(2);
      expect(new Set([...first.values()].map((d) => `${d.value}/${d.reason}`))).toEqual(new Set(['true/SPLIT', 'false/DEFAULT']));

      // WHEN the split is raised to 20 % (a new version in the store)
      const current = store.get('production', 'newCheckout');
      store.put('production', { ...current.flag, rules: [{ ...current.flag.rules[0]!, percentage: 20 }] }, { actor: 'ana' });
      const second = await newCheckoutFor(KEYS);
      // THEN everyone already in stays in, and about 20 % are in
      expect(inAt10.filter((k) => !second.get(k)!.value)).toEqual([]);
      const inAt20 = KEYS.filter((k) => second.get(k)!.value).length;
      expect(Math.abs((inAt20 / KEYS.length) * 100 - 20)).toBeLessThanOrEqual(2);
      expect(flagEvents.at(-1)).toMatchObject({ type: 'flag.changed', subject: 'flag/production/newCheckout', data: { version: 2, previousVersion: 1, change: 'Updated', actor: 'ana' } });
      // 4 500 evaluations over loopback, one HTTP request each: a few seconds on two cores (the bucketing's statistics over many more keys are unit tests).
    }, 120_000);

    it('counts each evaluation as an impression of the calling service, by variant', async () => {
      // GIVEN the 4 500 evaluations above WHEN the impressions are flushed THEN they add up, per variant, under the gateway
      await worker?.flush();
      impressions.forceFlush();
      const points = published.at(-1)!.filter((p) => p.attributes['feature_flag.key'] === 'newCheckout');
      expect(points.every((p) => p.attributes.service === 'gateway' && p.attributes.environment === 'production')).toBe(true);
      expect(points.reduce((n, p) => n + (p.value ?? 0), 0)).toBe(4_500);
      expect(new Set(points.map((p) => p.attributes['feature_flag.result.variant']))).toEqual(new Set(['rule-1', 'default']));
    });
  });

  describe('targeting, disabled and failing evaluations through the OpenFeature SDK', () => {
    it('serves a targeting rule to the contexts it matches, and the default to others', async () => {
      expect(await client.getStringDetails('proBanner', 'code-default', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1' });
      expect(await client.getStringDetails('proBanner', 'code-default', { targetingKey: 'u1', plan: 'free' })).toMatchObject({ value: 'off', reason: 'DEFAULT', variant: 'default' });
    });

    it('serves a variant payload as an object', async () => {
      expect(await client.getObjectDetails('theme', {}, { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: { color: '#0a0' }, variant: 'green', reason: 'TARGETING_MATCH' });
    });

    it('serves a disabled flag its default with reason DISABLED, whatever its rules say', async () => {
      const d = await client.getBooleanDetails('killSwitch', true, { targetingKey: 'u1' });
      expect(d).toMatchObject({ value: false, reason: 'DISABLED' });
      expect(d.errorCode).toBeUndefined();
    });

    it('answers an unknown flag with FLAG_NOT_FOUND and the caller\'s default', async () => {
      expect(await client.getBooleanDetails('noSuchFlag', true, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    });

    it('answers a value of another type than asked with TYPE_MISMATCH and the caller\'s default', async () => {
      expect(await client.getStringDetails('newCheckout', 'code-default', { targetingKey: 'u1' })).toMatchObject({ value: 'code-default', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    });

    it('answers a split without a targeting key with TARGETING_KEY_MISSING and the caller\'s default', async () => {
      expect(await client.getBooleanDetails('newCheckout', true, {})).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
    });
  });
});
