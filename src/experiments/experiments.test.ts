import { describe, expect, it } from 'vitest';
import { ManualClock, openDatabase } from '../core/index.js';
import { resolveApp } from '../shared/index.js';
import { createExperiments, type ExperimentEvent } from './experiments.js';
import type { ExperimentSpan, TelemetryWindow } from './model.js';
import { experimentMigrations } from './store/migrations.js';

// The use-cases around the pure verdict: one telemetry read per tick, each experiment over its own window.

const conversion = { kind: 'conversion', exposure: { span: 'cart.viewed' }, conversion: { span: 'checkout.completed' } } as const;
const app = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: { a: { default: false, rules: [{ percentage: 50, value: true }] }, b: { default: false, rules: [{ percentage: 50, value: true }] } },
  experiments: { first: { flag: 'a', control: false, primary: conversion, minSamplePerVariant: 1 }, second: { flag: 'b', control: false, primary: conversion, minSamplePerVariant: 1 } },
});

const exposure = (flag: string, startMs: number, traceId: string): ExperimentSpan => ({
  traceId, name: 'cart.viewed', service: 'gateway', environment: undefined, startMs, durationMs: 1, error: false, attributes: {},
  events: [{ name: 'feature_flag.evaluation', attributes: { 'feature_flag.key': flag, 'feature_flag.result.value': false } }],
});

describe('createExperiments', () => {
  it('GIVEN two running experiments started at different times WHEN a tick runs THEN telemetry is read once, and each counts only its own window', () => {
    const clock = new ManualClock(1000);
    const db = openDatabase(':memory:', { migrations: experimentMigrations });
    const reads: TelemetryWindow[] = [];
    const spans = [exposure('a', 1500, 't1'), exposure('b', 1500, 't2'), exposure('b', 2500, 't3')];
    const events: ExperimentEvent[] = [];
    const current: { app: typeof app | undefined } = { app: { ...app, experiments: { first: app.experiments!.first! } } };
    const experiments = createExperiments({
      db,
      app: () => current.app,
      telemetry: {
        spans: (q) => (reads.push(q), { spans: spans.filter((s) => s.startMs >= q.startMs && s.startMs < q.endMs), truncated: false }),
        logs: () => ({ logs: [], truncated: false }),
      },
      control: { serveControl: () => true },
      appendEvent: (e) => events.push(e),
      clock,
    });
    // GIVEN `first` starts at 1000 and `second` at 2000
    experiments.sync();
    clock.set(2000);
    current.app = app;
    experiments.sync();
    clock.set(3000);
    // WHEN one tick evaluates both
    experiments.tick();
    // THEN one read, of the earliest window
    expect(reads).toEqual([{ startMs: 1000, endMs: 3000, limit: 200_000 }]);
    // AND `second` did not count the exposure of flag b from before it started
    expect(experiments.get('production', 'second').result.variants.map((v) => v.exposures)).toEqual([1, 0]);
    expect(experiments.get('production', 'first').result.variants.map((v) => v.exposures)).toEqual([1, 0]);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ['experiment.started', 'experiment/production/first'],
      ['experiment.started', 'experiment/production/second'],
    ]);
  });
});
