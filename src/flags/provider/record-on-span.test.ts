import { trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFlag } from '../store/model.js';
import { SlipwayProvider } from './slipway-provider.js';

// The provider records each served evaluation on the active span, so that experiments can
// attribute the request to its variant. A real OpenTelemetry tracer; the snapshot is served by a
// fake fetch (the provider's `fetch` option), so no server is needed.

const exporter = new tracing.InMemorySpanExporter();
const tracerProvider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
const stored: StoredFlag = {
  environment: 'production',
  flag: { key: 'newCheckout', defaultValue: false, variants: undefined, rules: [{ percentage: 100, match: { plan: 'pro' }, value: true }], description: undefined },
  enabled: true,
  version: 1,
  updatedAtMs: 0,
};
const snapshotFetch: typeof fetch = (input) =>
  Promise.resolve(String(input).includes('/snapshot') ? new Response(JSON.stringify({ environment: 'production', flags: [stored] }), { headers: { etag: '"1"' } }) : new Response(null, { status: 204 }));
let provider: SlipwayProvider;

beforeAll(async () => {
  tracerProvider.register();
  provider = new SlipwayProvider({ url: 'http://flags.test', token: 't', fetch: snapshotFetch, waitMs: 0 });
  await provider.initialize();
});
afterAll(async () => {
  await provider.onClose();
  await tracerProvider.shutdown();
  trace.disable();
});

describe('the provider and the active span', () => {
  it('GIVEN an active span WHEN a flag is evaluated THEN the span has a feature_flag.evaluation event and the key and variant as attributes', () => {
    trace.getTracer('test').startActiveSpan('GET /cart', (span) => {
      expect(provider.evaluate('newCheckout', false, { targetingKey: 'u1', plan: 'pro' }).value).toBe(true);
      span.end();
    });
    const [span] = exporter.getFinishedSpans();
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      ['feature_flag.evaluation', { 'feature_flag.key': 'newCheckout', 'feature_flag.result.variant': 'rule-1', 'feature_flag.provider.name': 'slipway', 'feature_flag.result.value': true }],
    ]);
    expect(span!.attributes).toEqual({ 'feature_flag.key': 'newCheckout', 'feature_flag.result.variant': 'rule-1' });
  });

  it('WHEN the evaluation fails (an unknown flag) THEN nothing is recorded', () => {
    exporter.reset();
    trace.getTracer('test').startActiveSpan('GET /cart', (span) => {
      expect(provider.evaluate('nope', false, { targetingKey: 'u1' }).reason).toBe('ERROR');
      span.end();
    });
    expect(exporter.getFinishedSpans()[0]!.events).toEqual([]);
  });

  it('WHEN no span is active THEN evaluation still serves', () => {
    expect(provider.evaluate('newCheckout', false, { targetingKey: 'u1' })).toMatchObject({ value: false, variant: 'default' });
  });
});
