import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { ExperimentDetailDto } from '../../src/shared/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// An experiment in a real control plane, measured from a real service: a task of the runtime
// evaluates newCheckout with the slipway/openfeature provider (which records the variant on the
// request's span), records checkout.started / checkout.completed as spans with the OpenTelemetry
// SDK, and exports them over OTLP with its ingest key. Nothing in the test writes telemetry.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const TOKEN = 'experiments-cp-token-0123456789';
const USERS = 240;

let tmp: { path: string; cleanup: () => void };
let cp: ControlPlane;
let ingress: string;
/** What the warm-up request was served: it is a checkout too. */
let warmUp: boolean;

const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${cp.url}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as T;
};

beforeAll(async () => {
  tmp = tempDir('slipway-experiments-cp-');
  const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '10s' };
  const config = {
    name: 'experimenting',
    services: { checkout: { path: FIXTURES, start: 'node experiment-service.mjs', health, ingress: { pathPrefix: '/' }, env: { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRIC_EXPORT_INTERVAL: '60000' } } },
    environments: { production: { ingressPort: 0 } },
    flags: { newCheckout: { default: false, rules: [{ percentage: 50, value: true }] } },
    experiments: {
      'new-checkout': {
        flag: 'newCheckout',
        control: false,
        primary: { kind: 'conversion', exposure: { span: 'checkout.started', service: 'checkout' }, conversion: { span: 'checkout.completed', service: 'checkout' } },
        guardrails: { errors: { kind: 'errorRate', maxPercent: 50 } },
        minSamplePerVariant: 60,
      },
    },
  };
  const file = path.join(tmp.path, 'slipway.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, token: TOKEN, configFile: file, drainMs: 100, otlpPort: 0, xrayPort: null, experimentIntervalMs: 3_600_000 });
  const port = (await cp.runtime!.status()).router.listeners.find((l) => l.kind === 'ingress')!.port;
  ingress = `http://127.0.0.1:${port}`;
  warmUp = await waitFor('the checkout task to answer', async () => {
    const res = await fetch(`${ingress}/checkout?user=warm-up`).catch(() => undefined);
    return res?.status === 200 ? ((await res.json()) as { newCheckout: boolean }).newCheckout : undefined;
  }, 30_000);
}, 60_000);

afterAll(async () => {
  await cp?.close({ stopTasks: true });
  tmp?.cleanup();
});

describe('an experiment measured from a running service', () => {
  it('attributes every started checkout to the variant the provider served, and concludes that the new checkout converts better', async () => {
    // WHEN 240 users check out through the router (after the warm-up's checkout)
    const served = { true: warmUp ? 1 : 0, false: warmUp ? 0 : 1 };
    for (let i = 0; i < USERS; i++) {
      const res = await fetch(`${ingress}/checkout?user=user-${i}`);
      const body = (await res.json()) as { newCheckout: boolean };
      served[String(body.newCheckout) as 'true' | 'false'] += 1;
    }
    // THEN once the service's spans have arrived, every exposure is attributed to the variant it was served
    const expected = USERS + 1;
    const r = await waitFor('every checkout to be counted', async () => {
      const e = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/new-checkout');
      return e.result.variants.reduce((n, v) => n + v.exposures, 0) + e.result.unattributed >= expected ? e : undefined;
    }, 20_000, 100);
    expect(r.result.unattributed).toBe(0);
    const [control, treatment] = r.result.variants;
    expect([control!.exposures, treatment!.exposures]).toEqual([served.false, served.true]);
    expect(r.result.verdict).toBe('Better');
    expect(r.result.winner).toBe('true');
    expect(treatment!.comparison!.ci[0]).toBeGreaterThan(0);
    expect(r.state).toBe('Running');
    // AND an evaluation of the control plane's loop (held back here, so the counts above are of all the traffic) concludes it
    cp.experiments!.tick();
    const concluded = await api<ExperimentDetailDto>('GET', '/api/v1/experiments/production/new-checkout');
    expect([concluded.state, concluded.winner]).toEqual(['Concluded', 'true']);
    expect(concluded.reason).toMatch(/^true beats control false by /);
    const events = await api<{ events: { type: string; subject: string }[] }>('GET', '/api/v1/events?type=experiment');
    expect(events.events.map((e) => [e.type, e.subject])).toEqual([
      ['experiment.started', 'experiment/production/new-checkout'],
      ['experiment.concluded', 'experiment/production/new-checkout'],
    ]);
  }, 60_000);
});
