import { describe, expect, it } from 'vitest';
import type { Issue } from '../errors/index.js';
import { validateApp } from './validate-app.js';

// Loosely typed, so that cases can write what a user might (a missing metric, a wrong type).
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const conversion = { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } };
const base = (): Loose => structuredClone({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
  flags: {
    newCheckout: { default: false, rules: [{ percentage: 10, value: true }] },
    theme: { default: 'grey', variants: { grey: {}, green: {} }, rules: [{ percentage: 50, value: 'green' }] },
    fixed: { default: 'on' },
  },
  experiments: { checkout: { flag: 'newCheckout', control: false, primary: conversion } },
});

const cases: { name: string; change: (d: Loose) => void; issues: Issue[] }[] = [
  {
    name: 'an experiment without a primary metric',
    change: (d) => delete d.experiments.checkout.primary,
    issues: [{ path: 'experiments.checkout.primary', message: 'an experiment needs a primary metric, e.g. { kind: "conversion", exposure: { span: "cart.viewed" }, conversion: { span: "checkout.completed" } }' }],
  },
  {
    name: 'a metric of an unknown kind',
    change: (d) => (d.experiments.checkout.primary = { kind: 'ratio' }),
    issues: [{ path: 'experiments.checkout.primary', message: 'expected kind "conversion" or "mean", got "ratio"' }],
  },
  {
    name: 'a conversion without its exposure event',
    change: (d) => delete d.experiments.checkout.primary.exposure,
    issues: [{ path: 'experiments.checkout.primary.exposure', message: 'is required, e.g. { span: "checkout.completed" } or { log: "checkout.completed" }' }],
  },
  {
    name: 'an unknown flag',
    change: (d) => (d.experiments.checkout.flag = 'newCheckuot'),
    issues: [{ path: 'experiments.checkout.flag', message: 'no flag named "newCheckuot" (did you mean "newCheckout"?)' }],
  },
  {
    name: 'a control the flag does not serve',
    change: (d) => (d.experiments.checkout.control = 'true'),
    issues: [{ path: 'experiments.checkout.control', message: '"true" is no value flag "newCheckout" serves (it serves false, true)' }],
  },
  {
    name: 'a variant not in a flag with variants',
    change: (d) => (d.experiments.checkout = { flag: 'theme', control: 'grey', variants: ['grey', 'blue'], primary: conversion }),
    issues: [{ path: 'experiments.checkout.variants[1]', message: '"blue" is no variant of flag "theme" (it serves "grey", "green")' }],
  },
  {
    name: 'variants without the control, and one twice',
    change: (d) => (d.experiments.checkout = { flag: 'theme', control: 'grey', variants: ['green', 'green'], primary: conversion }),
    issues: [
      { path: 'experiments.checkout.variants[1]', message: 'variant "green" is listed twice (first at [0])' },
      { path: 'experiments.checkout.variants', message: 'the variants must include the control "grey"' },
    ],
  },
  {
    name: 'a flag that serves one value only',
    change: (d) => (d.experiments.checkout = { flag: 'fixed', control: 'on', primary: conversion }),
    issues: [{ path: 'experiments.checkout.flag', message: 'flag "fixed" serves only "on": an experiment needs at least 2 variants' }],
  },
  {
    name: 'a negative minimum sample',
    change: (d) => (d.experiments.checkout.minSamplePerVariant = -5),
    issues: [{ path: 'experiments.checkout.minSamplePerVariant', message: 'must be at least 1, got -5' }],
  },
  {
    name: 'a significance level of 0',
    change: (d) => (d.experiments.checkout.significance = 0),
    issues: [{ path: 'experiments.checkout.significance', message: 'must be greater than 0, got 0' }],
  },
  {
    name: 'an unknown environment and an unknown service',
    change: (d) => Object.assign(d.experiments.checkout, { environments: ['prod'], guardrails: { errors: { kind: 'errorRate', maxPercent: 5, service: 'gatewy' } } }),
    issues: [
      { path: 'experiments.checkout.environments[0]', message: 'no environment named "prod" (did you mean "production"?)' },
      { path: 'experiments.checkout.guardrails.errors.service', message: 'no service named "gatewy" (did you mean "gateway"?)' },
    ],
  },
  {
    name: 'a mean of log records without the attribute to average',
    change: (d) => (d.experiments.checkout.primary = { kind: 'mean', of: { log: 'order placed' } }),
    issues: [{ path: 'experiments.checkout.primary.attribute', message: 'a mean of log records needs the numeric attribute to average (log records have no duration)' }],
  },
  {
    name: 'an event that is neither a span nor a log, and a typo in a log selector',
    change: (d) => Object.assign(d.experiments.checkout.primary, { exposure: 'cart.viewed', conversion: { log: 'checkout.completed', servce: 'gateway' } }),
    issues: [
      { path: 'experiments.checkout.primary.exposure', message: 'expected an event such as { span: "checkout.completed" } or { log: "checkout.completed" }, got "cart.viewed"' },
      { path: 'experiments.checkout.primary.conversion.servce', message: 'unknown key "servce" (did you mean "service"?)' },
    ],
  },
  {
    name: 'a latency guardrail without its threshold, and a typo',
    change: (d) => (d.experiments.checkout.guardrails = { slow: { kind: 'latency', maxx: '1s' } }),
    issues: [
      { path: 'experiments.checkout.guardrails.slow.max', message: 'expected a duration such as "30s" or "5m", got undefined' },
      { path: 'experiments.checkout.guardrails.slow.maxx', message: 'unknown key "maxx" (did you mean "max"?)' },
    ],
  },
];

describe('experiments in the app model', () => {
  it.each(cases)('refuses $name, with the path', ({ change, issues }) => {
    // GIVEN a valid definition WHEN one thing is changed THEN exactly these issues
    const d = base();
    change(d);
    const result = validateApp(d);
    expect(result.ok ? [] : result.issues).toEqual(issues);
  });

  it('compiles defaults: the control first, every value the flag serves, 100 exposures, alpha 0.05, every environment', () => {
    const result = validateApp(base());
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.app.experiments?.checkout).toEqual({
      name: 'checkout',
      description: undefined,
      flag: 'newCheckout',
      arms: [{ name: 'false', value: false }, { name: 'true', value: true }],
      primary: { kind: 'conversion', exposure: { source: 'span', name: 'cart.viewed', service: undefined }, conversion: { source: 'span', name: 'checkout.completed', service: undefined } },
      guardrails: [],
      minSamplePerVariant: 100,
      significance: 0.05,
      environments: ['staging', 'production'],
    });
  });

  it('compiles guardrails with durations in ms and percentile 99 by default', () => {
    const d = base();
    d.experiments.checkout = { flag: 'theme', control: 'green', primary: { kind: 'mean', of: { span: 'checkout.completed' }, attribute: 'order.value' }, guardrails: { slow: { kind: 'latency', max: '800ms' } } };
    const result = validateApp(d);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const e = result.app.experiments!.checkout!;
    expect([e.arms.map((a) => a.name), e.primary, e.guardrails]).toEqual([
      ['green', 'grey'],
      { kind: 'mean', of: { source: 'span', name: 'checkout.completed', service: undefined }, attribute: 'order.value', higherIsBetter: true },
      [{ name: 'slow', kind: 'latency', span: undefined, service: undefined, percentile: 99, maxMs: 800 }],
    ]);
  });
});
