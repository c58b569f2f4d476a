import { describe, expect, it } from 'vitest';
import { resolveApp, type ResolvedExperiment } from '../shared/index.js';
import { analyzeExperiment } from './analyze.js';
import { armOfSpan, armsByTrace } from './attribute.js';
import type { ExperimentLog, ExperimentSpan } from './model.js';

const app = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 }, staging: { ingressPort: 8081 } },
  flags: {
    newCheckout: { default: false, rules: [{ match: { plan: 'pro' }, value: true }, { percentage: 10, value: true }] },
    theme: { default: 'grey', variants: { grey: { c: 1 }, green: { c: 2 }, blue: { c: 3 } }, rules: [{ percentage: 50, value: 'green' }] },
  },
  experiments: {
    checkout: {
      flag: 'newCheckout',
      control: false,
      primary: { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } },
      minSamplePerVariant: 3,
      guardrails: { errors: { kind: 'errorRate', maxPercent: 10, span: 'GET /cart' }, slow: { kind: 'latency', percentile: 50, max: '100ms' } },
    },
    latency: { flag: 'newCheckout', control: false, primary: { kind: 'mean', of: { span: 'GET /cart' }, higherIsBetter: false }, minSamplePerVariant: 3 },
    orders: {
      flag: 'newCheckout',
      control: false,
      primary: { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { log: 'checkout.completed', service: 'gateway' } },
      minSamplePerVariant: 2,
    },
    value: { flag: 'newCheckout', control: false, primary: { kind: 'mean', of: { log: 'order placed' }, attribute: 'order.value' }, minSamplePerVariant: 2 },
    themes: { flag: 'theme', control: 'grey', primary: { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } }, minSamplePerVariant: 2 },
  },
});
const checkout = app.experiments!.checkout!;
const flag = app.flags.newCheckout!;
const theme = app.flags.theme!;

let n = 0;
const span = (over: Partial<ExperimentSpan> = {}): ExperimentSpan => ({ traceId: `t${n++}`, name: 'GET /cart', service: 'gateway', environment: undefined, startMs: 0, durationMs: 10, error: false, attributes: {}, events: [], ...over });
const evaluation = (attributes: Record<string, unknown>, name = 'feature_flag.evaluation') => ({ name, attributes: { 'feature_flag.key': 'newCheckout', ...attributes } });

describe('attribution', () => {
  it.each([
    ['the value of a semconv evaluation event', span({ events: [evaluation({ 'feature_flag.result.variant': 'rule-2', 'feature_flag.result.value': true })] }), 'true'],
    ['a variant name mapped to its rule value', span({ events: [evaluation({ 'feature_flag.result.variant': 'rule-1' })] }), 'true'],
    ['the default variant', span({ events: [evaluation({ 'feature_flag.result.variant': 'default' })] }), 'false'],
    ["the older event name and OpenFeature's hook attribute", span({ events: [evaluation({ 'feature_flag.variant': 'rule-2' }, 'feature_flag')] }), 'true'],
    ['span attributes', span({ attributes: { 'feature_flag.key': 'newCheckout', 'feature_flag.variant': 'default' } }), 'false'],
    ['an evaluation of another flag', span({ events: [{ name: 'feature_flag.evaluation', attributes: { 'feature_flag.key': 'other', 'feature_flag.result.value': true } }] }), undefined],
    ['a rule that does not exist', span({ events: [evaluation({ 'feature_flag.result.variant': 'rule-9' })] }), undefined],
    ['no evaluation at all', span(), undefined],
  ])('GIVEN %s THEN the arm is %s', (_what, s, arm) => expect(armOfSpan(s, 'newCheckout', flag)).toBe(arm));

  it('GIVEN a flag with variants THEN the arm is the variant name, not its payload', () => {
    const s = span({ events: [{ name: 'feature_flag.evaluation', attributes: { 'feature_flag.key': 'theme', 'feature_flag.result.variant': 'green' } }] });
    expect(armOfSpan(s, 'theme', theme)).toBe('green');
  });

  it('GIVEN a trace whose spans name two variants THEN it counts for neither', () => {
    const a = span({ traceId: 'x', events: [evaluation({ 'feature_flag.result.value': true })] });
    const b = span({ traceId: 'x', events: [evaluation({ 'feature_flag.result.value': false })] });
    const c = span({ traceId: 'y', events: [evaluation({ 'feature_flag.result.value': false })] });
    expect(Object.fromEntries(armsByTrace([a, b, c], checkout, flag))).toEqual({ x: null, y: 'false' });
  });
});

/** A request of one variant: the server span that evaluated the flag and its child event. */
function request(arm: boolean, child: string, o: { error?: boolean; durationMs?: number; environment?: string } = {}): ExperimentSpan[] {
  const traceId = `t${n++}`;
  return [
    span({ traceId, environment: o.environment, error: o.error ?? false, durationMs: o.durationMs ?? 10, events: [evaluation({ 'feature_flag.result.value': arm })] }),
    span({ traceId, environment: o.environment, name: child }),
  ];
}
const traffic = (arm: boolean, exposures: number, conversions: number, o: Parameters<typeof request>[2] = {}) => [
  ...Array.from({ length: exposures }, () => request(arm, 'cart.viewed', o)).flat(),
  ...Array.from({ length: conversions }, () => request(arm, 'checkout.completed', o)).flat(),
];
const window = { startMs: 0, endMs: 1, truncated: false };
const analyze = (e: ResolvedExperiment, spans: ExperimentSpan[], env = 'production', logs: ExperimentLog[] = []) => analyzeExperiment(e, env, e.flag === 'theme' ? theme : flag, { spans, logs }, window);

describe('the verdict', () => {
  it('GIVEN fewer exposures than the minimum in one variant THEN Inconclusive, with no comparison', () => {
    const r = analyze(checkout, [...traffic(false, 50, 5), ...traffic(true, 2, 2)]);
    expect([r.verdict, r.summary, r.variants.map((v) => [v.exposures, v.conversions, v.comparison])]).toEqual([
      'Inconclusive',
      'waiting for 3 exposures per variant (true 2/3)',
      [[50, 5, undefined], [2, 2, undefined]],
    ]);
  });

  it('GIVEN more conversions than exposures THEN Inconclusive, saying why, rather than a rate above 100 %', () => {
    const r = analyze(checkout, [...traffic(false, 10, 12), ...traffic(true, 10, 2)]);
    expect([r.verdict, r.summary]).toEqual(['Inconclusive', 'variant false has more conversions (12) than exposures (10): the conversion event must happen at most once per exposure']);
  });

  it('GIVEN 100/1000 against 130/1000 THEN Better (p 0.035 < 0.05), with the textbook interval', () => {
    const r = analyze(checkout, [...traffic(false, 1000, 100), ...traffic(true, 1000, 130)]);
    expect([r.verdict, r.winner]).toEqual(['Better', 'true']);
    const c = r.variants[1]!.comparison!;
    expect([c.pValue, c.ci[0], c.ci[1]].map((x) => Number(x.toFixed(6)))).toEqual([0.035488, 0.002068, 0.057932]);
    expect(r.summary).toBe('true beats control false by 3.00 % (95 % CI 0.21 % to 5.79 %, p = 0.0355)');
  });

  it('GIVEN the treatment converting less THEN Worse', () => {
    expect(analyze(checkout, [...traffic(false, 1000, 130), ...traffic(true, 1000, 100)]).verdict).toBe('Worse');
  });

  it('GIVEN 100/1000 against 110/1000 THEN NotSignificant, the interval spanning 0', () => {
    const r = analyze(checkout, [...traffic(false, 1000, 100), ...traffic(true, 1000, 110)]);
    expect([r.verdict, r.winner, r.variants[1]!.comparison!.ci[0] < 0]).toEqual(['NotSignificant', undefined, true]);
  });

  it('GIVEN three variants THEN each comparison is held to alpha / 2 (Bonferroni): p 0.035 no longer wins', () => {
    const themes = app.experiments!.themes!;
    const arm = (variant: string, exposures: number, conversions: number) => traffic(true, exposures, conversions).map((s) => (s.events.length === 0 ? s : { ...s, events: [{ name: 'feature_flag.evaluation', attributes: { 'feature_flag.key': 'theme', 'feature_flag.result.variant': variant } }] }));
    const r = analyze(themes, [...arm('grey', 1000, 100), ...arm('green', 1000, 130), ...arm('blue', 1000, 100)]);
    expect([r.alphaPerComparison, r.verdict, r.variants.map((v) => v.variant)]).toEqual([0.025, 'NotSignificant', ['grey', 'green', 'blue']]);
  });

  it('GIVEN a mean where lower is better THEN a faster treatment is Better (Welch)', () => {
    const latency = app.experiments!.latency!;
    const spans = [false, true].flatMap((arm) => Array.from({ length: 40 }, (_, i) => request(arm, 'x', { durationMs: (arm ? 80 : 100) + (i % 10) })).flat());
    const r = analyze(latency, spans);
    expect([r.verdict, r.winner, r.variants.map((v) => v.value)]).toEqual(['Better', 'true', [104.5, 84.5]]);
    expect(r.variants[1]!.comparison!.df).toBeCloseTo(78, 6);
  });

  it("GIVEN spans of another environment THEN they are left out; spans naming none count", () => {
    const r = analyze(checkout, [...traffic(false, 5, 1, { environment: 'staging' }), ...traffic(false, 4, 1), ...traffic(true, 4, 1, { environment: 'production' })]);
    expect(r.variants.map((v) => v.exposures)).toEqual([4, 4]);
  });
});

describe('log records as events', () => {
  const log = (traceId: string, over: Partial<ExperimentLog> = {}): ExperimentLog => ({ traceId, timeMs: 0, name: 'checkout.completed', service: 'gateway', environment: undefined, attributes: {}, ...over });

  it('GIVEN conversions logged in the traces that evaluated the flag THEN they count for its variant; others are unattributed', () => {
    const exposures = [...traffic(false, 4, 0), ...traffic(true, 4, 0)];
    const traceOf = (arm: boolean) => exposures.find((s) => s.events[0]?.attributes['feature_flag.result.value'] === arm)!.traceId;
    const logs = [log(traceOf(true)), log(traceOf(true), { service: 'orders' }), log(traceOf(false)), log('unknown-trace'), log(traceOf(true), { environment: 'staging' })];
    const r = analyze(app.experiments!.orders!, exposures, 'production', logs);
    expect([r.variants.map((v) => [v.exposures, v.conversions]), r.unattributed]).toEqual([[[4, 1], [4, 1]], 1]);
  });

  it('GIVEN a mean of a logged attribute THEN the values are averaged per variant', () => {
    const spans = [...traffic(false, 2, 0), ...traffic(true, 2, 0)];
    const logs = spans.filter((s) => s.events.length > 0).map((s, i) => log(s.traceId, { name: 'order placed', attributes: { 'order.value': 10 * (i + 1) } }));
    const r = analyze(app.experiments!.value!, spans, 'production', logs);
    expect(r.variants.map((v) => [v.exposures, v.value])).toEqual([[2, 15], [2, 35]]);
  });
});

describe('guardrails', () => {
  it('GIVEN the treatment failing 20 % of its cart requests THEN errors breaches on it, never on the control', () => {
    const spans = [...traffic(false, 10, 0, { error: true }), ...traffic(true, 8, 0), ...traffic(true, 2, 0, { error: true })];
    const errors = analyze(checkout, spans).guardrails.find((g) => g.name === 'errors')!;
    expect(errors.variants).toEqual([
      { variant: 'false', samples: 10, value: 100, breached: false },
      { variant: 'true', samples: 10, value: 20, breached: true },
    ]);
    expect(errors.breach).toBe('guardrail errors: variant true fails 20.00 % of 10 spans, above 10 %');
  });

  it('GIVEN a breach on fewer spans than the minimum sample THEN no breach yet', () => {
    const errors = analyze(checkout, traffic(true, 2, 0, { error: true })).guardrails.find((g) => g.name === 'errors')!;
    expect([errors.variants[1]!.value, errors.breach]).toEqual([100, undefined]);
  });

  it('GIVEN a latency guardrail without a span THEN it watches the spans that evaluated the flag, at its percentile', () => {
    const spans = [...traffic(true, 3, 0, { durationMs: 150 }), ...traffic(true, 2, 0, { durationMs: 20 })];
    const slow = analyze(checkout, spans).guardrails.find((g) => g.name === 'slow')!;
    expect([slow.variants[1], slow.breach]).toEqual([{ variant: 'true', samples: 5, value: 150, breached: true }, 'guardrail slow: variant true p50 latency is 150.0 ms over 5 spans, above 100 ms']);
  });
});
