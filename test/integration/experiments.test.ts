import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { EventLog, ManualClock, eventMigrations, openDatabase, silentLogger, type Db } from '../../src/core/index.js';
import { experimentMigrations } from '../../src/experiments/index.js';
import { FlagTokens, createFlags, evaluateStoredFlag, flagMigrations, type Flags } from '../../src/flags/index.js';
import { buildServer } from '../../src/server/index.js';
import { startExperiments, type ExperimentsWiring } from '../../src/server/experiments-wiring.js';
import { resolveApp, type ExperimentDetailDto, type ExperimentListDto } from '../../src/shared/index.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/index.js';
import { slipway } from '../support/cli.js';
import { TEST_TOKEN, auth } from '../support/server.js';
import { tempDir } from '../support/temp-dir.js';
import { prng } from '../support/prng.js';

// Experiments end to end over real telemetry: seeded traffic is posted as OTLP/JSON to the real
// receiver (the path services' SDKs use), stored, read back, attributed by the flag evaluations the
// spans carry, and judged; the flag store serves the control when a guardrail stops one.

const T0 = Date.UTC(2026, 5, 1);
const conversion = { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } } as const;
const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: {
    newCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
    sameCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
    riskyCheckout: { default: false, rules: [{ percentage: 50, value: true }] },
  },
  experiments: {
    'new-checkout': { flag: 'newCheckout', control: false, primary: conversion, minSamplePerVariant: 200 },
    // The same conversions, counted from log records instead of spans.
    'logged-checkout': { flag: 'newCheckout', control: false, primary: { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { log: 'checkout.completed', service: 'gateway' } }, minSamplePerVariant: 200 },
    'same-checkout': { flag: 'sameCheckout', control: false, primary: conversion, minSamplePerVariant: 200 },
    'risky-checkout': {
      flag: 'riskyCheckout',
      control: false,
      primary: conversion,
      minSamplePerVariant: 100,
      guardrails: { errors: { kind: 'errorRate', maxPercent: 5 }, slow: { kind: 'latency', max: '2s' } },
    },
  },
});


const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
let spanSeq = 1;
let traceSeq = 1;

interface Traffic {
  readonly flag: string;
  readonly users: number;
  readonly seed: number;
  /** Conversion probability by variant value. */
  readonly rate: (treatment: boolean) => number;
  /** Probability that the request span fails, by variant. @default 0 */
  readonly errorRate?: (treatment: boolean) => number;
}

let db: Db;
let events: EventLog;
let flags: Flags;
let telemetry: Telemetry;
let wiring: ExperimentsWiring;
let app: FastifyInstance;
let otlp: string;
let dir: { path: string; cleanup: () => void };
const clock = new ManualClock(T0);

/**
 * One request per user to view the cart and, when they convert, one to check out. Each request's
 * server span carries the flag evaluation as the provider records it (a `feature_flag.evaluation`
 * event with key, variant and value); `cart.viewed` / `checkout.completed` are its children.
 */
async function sendTraffic(t: Traffic, baseMs: number): Promise<{ treatment: number; control: number }> {
  const random = prng(t.seed);
  const stored = flags.store.get('production', t.flag);
  const spans: unknown[] = [];
  const logs: unknown[] = [];
  const seen = { treatment: 0, control: 0 };
  const request = (user: string, route: string, child: string, atMs: number, treatment: boolean, variant: string, failed: boolean) => {
    const traceId = hex(traceSeq++, 32);
    const root = hex(spanSeq++, 16);
    const evaluation = { timeUnixNano: `${atMs * 1e6}`, name: 'feature_flag.evaluation', attributes: [str('feature_flag.key', t.flag), str('feature_flag.result.variant', variant), { key: 'feature_flag.result.value', value: { boolValue: treatment } }] };
    spans.push(
      { traceId, spanId: root, name: route, kind: 2, startTimeUnixNano: `${atMs * 1e6}`, endTimeUnixNano: `${(atMs + 30) * 1e6}`, attributes: [str('enduser.id', user)], events: [evaluation], status: failed ? { code: 2 } : {} },
      { traceId, spanId: hex(spanSeq++, 16), parentSpanId: root, name: child, kind: 1, startTimeUnixNano: `${(atMs + 5) * 1e6}`, endTimeUnixNano: `${(atMs + 6) * 1e6}`, attributes: [], events: [] },
    );
    // The completed checkout is logged too, as an event record of the same request.
    if (child === 'checkout.completed') logs.push({ timeUnixNano: `${(atMs + 6) * 1e6}`, severityNumber: 9, body: { stringValue: 'order confirmed' }, attributes: [str('event.name', 'checkout.completed')], traceId, spanId: root });
  };
  for (let i = 0; i < t.users; i++) {
    const user = `${t.flag}-user-${i}`;
    const r = evaluateStoredFlag('production', t.flag, stored, { targetingKey: user });
    if (!r.ok) throw new Error(r.errorDetails);
    const treatment = r.value === true;
    seen[treatment ? 'treatment' : 'control'] += 1;
    const failed = random() < (t.errorRate?.(treatment) ?? 0);
    request(user, 'GET /cart', 'cart.viewed', baseMs + i, treatment, r.variant, failed);
    if (random() < t.rate(treatment)) request(user, 'POST /checkout', 'checkout.completed', baseMs + i + 0.5, treatment, r.variant, false);
  }
  for (let i = 0; i < spans.length; i += 2000) {
    const body = { resourceSpans: [{ resource: { attributes: [str('service.name', 'gateway')] }, scopeSpans: [{ spans: spans.slice(i, i + 2000) }] }] };
    const res = await fetch(`${otlp}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': telemetry.ingestKeys().appKey } });
    expect(res.status).toBe(200);
  }
  const logBody = { resourceLogs: [{ resource: { attributes: [str('service.name', 'gateway')] }, scopeLogs: [{ logRecords: logs }] }] };
  const res = await fetch(`${otlp}/v1/logs`, { method: 'POST', body: JSON.stringify(logBody), headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': telemetry.ingestKeys().appKey } });
  expect(res.status).toBe(200);
  await telemetry.forceFlush();
  return seen;
}

const get = async (name: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/v1/experiments/production/${name}`, headers: auth });
  expect(res.statusCode).toBe(200);
  return res.json<ExperimentDetailDto>();
};

beforeAll(async () => {
  dir = tempDir('slipway-experiments-');
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...flagMigrations, ...experimentMigrations] });
  events = new EventLog(db, { clock });
  flags = createFlags({ db, app: model, appendEvent: (e) => void events.append(e), authenticate: new FlagTokens('experiments-test-signing-secret-0123456789').check, ingestMetricPoints: () => {}, clock });
  telemetry = createTelemetry({ dataDir: dir.path, clock, otlpPort: 0, xrayPort: null, flushDelayMs: 5 });
  otlp = `http://127.0.0.1:${(await telemetry.start()).otlpPort ?? 0}`;
  wiring = startExperiments({ db, events, app: () => model, telemetry, flags: flags.store, logger: silentLogger, clock });
  wiring.experiments.sync();
  app = await buildServer({ events, token: TEST_TOKEN, dashboardDir: null, routes: [wiring.routes] });
  clock.advance(1000);
});
afterAll(async () => {
  wiring.close();
  await app.close();
  await telemetry.shutdown();
  db.close();
  dir.cleanup();
});

describe('experiments over seeded telemetry', () => {
  it('stays Inconclusive, with no test reported, until every variant has its minimum sample', async () => {
    // GIVEN 100 users (about 50 per variant, below the 200 needed) where the treatment converts far better
    await sendTraffic({ flag: 'newCheckout', users: 100, seed: 1, rate: (b) => (b ? 0.6 : 0.1) }, T0 + 2000);
    clock.advance(200_000);
    // WHEN the result is read THEN it waits, and says for what
    const r = await get('new-checkout');
    expect(r.result.verdict).toBe('Inconclusive');
    expect(r.result.summary).toMatch(/^waiting for 200 exposures per variant \(false \d+\/200, true \d+\/200\)$/);
    expect(r.result.variants.every((v) => v.comparison === undefined && v.verdict === 'Inconclusive')).toBe(true);
    expect(r.result.variants.reduce((n, v) => n + v.exposures, 0)).toBe(100);
  });

  it('reaches a significant verdict when variant B converts clearly better, and concludes', async () => {
    // GIVEN 1 000 more users: control converts 10 %, treatment 20 %
    const seen = await sendTraffic({ flag: 'newCheckout', users: 1000, seed: 2, rate: (b) => (b ? 0.2 : 0.1) }, T0 + 300_000);
    clock.advance(2_000_000);
    // WHEN the result is read
    const r = await get('new-checkout');
    // THEN every exposure was attributed to the variant its bucket served, and B wins significantly
    const [control, treatment] = r.result.variants;
    expect([control!.variant, treatment!.variant]).toEqual(['false', 'true']);
    expect(control!.exposures + treatment!.exposures).toBe(1100);
    expect(treatment!.exposures).toBeGreaterThan(seen.treatment);
    expect(r.result.unattributed).toBe(0);
    expect(r.result.verdict).toBe('Better');
    expect(r.result.winner).toBe('true');
    const c = treatment!.comparison!;
    expect(c.significant).toBe(true);
    expect(c.pValue).toBeLessThan(0.001);
    expect(c.ci[0]).toBeGreaterThan(0);
    expect(c.difference).toBeCloseTo(treatment!.value! - control!.value!, 12);
    // AND the loop concludes it, once, with an event
    wiring.experiments.tick();
    wiring.experiments.tick();
    expect((await get('new-checkout')).state).toBe('Concluded');
    const concluded = events.list({ type: 'experiment.concluded' });
    expect(concluded.map((e) => [e.subject, (e.data as { arm: string }).arm, (e.data as { verdict: string }).verdict])).toEqual([
      ['experiment/production/new-checkout', 'true', 'Better'],
      ['experiment/production/logged-checkout', 'true', 'Better'],
    ]);
  });

  it('counts the same conversions from log records as from spans, through their trace', async () => {
    const [fromSpans, fromLogs] = [await get('new-checkout'), await get('logged-checkout')];
    expect(fromLogs.result.variants.map((v) => [v.exposures, v.conversions])).toEqual(fromSpans.result.variants.map((v) => [v.exposures, v.conversions]));
    expect(fromLogs.result.variants[1]!.conversions).toBeGreaterThan(0);
    expect([fromLogs.state, fromLogs.result.verdict, fromLogs.result.unattributed]).toEqual(['Concluded', 'Better', 0]);
  });

  it('stays not significant when the variants convert alike', async () => {
    // GIVEN 1 200 users converting 15 % in both variants
    await sendTraffic({ flag: 'sameCheckout', users: 1200, seed: 3, rate: () => 0.15 }, T0 + 3_000_000);
    clock.advance(2_000_000);
    // WHEN evaluated THEN enough samples, but no significant difference, and it keeps running
    const r = await get('same-checkout');
    expect(r.result.variants.every((v) => v.exposures >= 200)).toBe(true);
    expect(r.result.verdict).toBe('NotSignificant');
    expect(r.result.winner).toBeUndefined();
    const c = r.result.variants[1]!.comparison!;
    expect(c.significant).toBe(false);
    expect(c.pValue).toBeGreaterThan(0.05);
    expect(c.ci[0]).toBeLessThan(0);
    expect(c.ci[1]).toBeGreaterThan(0);
    wiring.experiments.tick();
    expect((await get('same-checkout')).state).toBe('Running');
  });

  it('stops the experiment when the treatment breaches a guardrail, and the flag serves the control', async () => {
    // GIVEN a treatment whose requests fail 20 % of the time (control 1 %)
    await sendTraffic({ flag: 'riskyCheckout', users: 600, seed: 4, rate: () => 0.2, errorRate: (b) => (b ? 0.2 : 0.01) }, T0 + 5_000_000);
    clock.advance(2_000_000);
    expect(flags.store.get('production', 'riskyCheckout').enabled).toBe(true);
    // WHEN the loop evaluates it
    wiring.experiments.tick();
    // THEN it is Stopped with the guardrail's reason, an event says so, and the kill switch serves false to everyone
    const r = await get('risky-checkout');
    expect(r.state).toBe('Stopped');
    expect(r.reason).toMatch(/^guardrail errors: variant true fails \d+\.\d\d % of \d+ spans, above 5 %$/);
    const errors = r.result.guardrails.find((g) => g.name === 'errors')!;
    expect(errors.variants.map((v) => [v.variant, v.breached])).toEqual([['false', false], ['true', true]]);
    expect(r.result.guardrails.find((g) => g.name === 'slow')!.breach).toBeUndefined();
    const stopped = events.list({ type: 'experiment.stopped' });
    expect(stopped.map((e) => e.data)).toEqual([{ environment: 'production', experiment: 'risky-checkout', flag: 'riskyCheckout', reason: r.reason, guardrail: 'errors', actor: 'guardrail', controlServed: true }]);
    const flag = flags.store.get('production', 'riskyCheckout');
    expect(flag.enabled).toBe(false);
    const served = evaluateStoredFlag('production', 'riskyCheckout', flag, { targetingKey: 'anyone' });
    expect(served).toMatchObject({ ok: true, value: false, reason: 'DISABLED' });
  });

  it('lists, stops through the API, and refuses to stop twice or an unknown experiment', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/v1/experiments', headers: auth })).json<ExperimentListDto>();
    expect(list.experiments.map((e) => [e.name, e.state, e.verdict])).toEqual([
      ['new-checkout', 'Concluded', 'Better'],
      ['logged-checkout', 'Concluded', 'Better'],
      ['same-checkout', 'Running', 'NotSignificant'],
      ['risky-checkout', 'Stopped', 'NotSignificant'],
    ]);
    const stop = await app.inject({ method: 'POST', url: '/api/v1/experiments/production/same-checkout/stop', headers: auth, payload: { by: 'ana', reason: 'enough' } });
    expect([stop.statusCode, stop.json<{ state: string; reason: string }>().state, stop.json<{ reason: string }>().reason]).toEqual([200, 'Stopped', 'enough']);
    // The flag's default is the control: it is disabled, by the one who stopped it.
    expect(flags.store.history('production', 'sameCheckout', 1)[0]).toMatchObject({ change: 'Disabled', actor: 'ana' });
    const again = await app.inject({ method: 'POST', url: '/api/v1/experiments/production/same-checkout/stop', headers: auth, payload: {} });
    expect([again.statusCode, again.json<{ error: { code: string } }>().error.code]).toEqual([409, 'SLW_ERR_EXPERIMENT_NOT_RUNNING']);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/experiments/production/nope', headers: auth });
    expect([missing.statusCode, missing.json<{ error: { code: string } }>().error.code]).toEqual([404, 'SLW_ERR_EXPERIMENT_NOT_FOUND']);
    const started = events.list({ type: 'experiment.started' });
    expect(started.map((e) => e.subject)).toEqual(['experiment/production/new-checkout', 'experiment/production/logged-checkout', 'experiment/production/same-checkout', 'experiment/production/risky-checkout']);
  });

  it('shows results and stops experiments from the CLI, with --json', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const env = { SLIPWAY_TOKEN: TEST_TOKEN };
    // WHEN `slipway experiments show` reads the concluded experiment THEN the verdict and a row per variant with its interval
    const show = await slipway(['experiments', 'show', 'production', 'new-checkout', '--url', url], { env });
    expect(show.stderr).toBe('');
    expect(show.stdout).toContain('production/new-checkout on flag newCheckout: Concluded');
    expect(show.stdout).toMatch(/verdict: Better: true beats control false by /);
    expect(show.stdout).toMatch(/\ntrue\s+\d+\s+\d+\s+\d+\.\d\d%\s+\+\d+\.\d\d% \[\d+\.\d\d%, \d+\.\d\d%\]\s+\S+\s+Better/);
    const json = await slipway(['experiments', 'list', '--json', '--url', url], { env });
    expect((JSON.parse(json.stdout) as ExperimentListDto).experiments.map((e) => e.state)).toEqual(['Concluded', 'Concluded', 'Stopped', 'Stopped']);
    // AND `stop` of the concluded one makes its flag serve the control: a new version with default false and no rules
    const stop = await slipway(['experiments', 'stop', 'production', 'new-checkout', '--reason', 'shipping it differently', '--by', 'ana', '--json', '--url', url], { env });
    expect((JSON.parse(stop.stdout) as { state: string; reason: string }).reason).toBe('shipping it differently');
    expect(flags.store.get('production', 'newCheckout')).toMatchObject({ enabled: false });
    // AND stopping again is one clear line and exit 1
    const again = await slipway(['experiments', 'stop', 'production', 'new-checkout', '--url', url], { env });
    expect([again.code, again.stderr.trim().split('\n').length]).toEqual([1, 1]);
    expect(again.stderr).toContain('already stopped');
  });
});
