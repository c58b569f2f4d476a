import { describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import type { Issue } from '../errors/index.js';
import { validateApp } from './validate-app.js';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const issuesOf = (change: (d: Loose) => void): Issue[] => {
  const d = validDefinition() as Loose;
  change(d);
  const r = validateApp(d);
  return r.ok ? [] : r.issues;
};
const scaleAction = (adjustments: unknown[]) => ({ type: 'scale', service: 'gateway', adjustments });
const metricAlarm = (extra: Loose): Loose => ({ service: 'gateway', stat: 'Sum', period: '10s', threshold: 5, ...extra });

describe('scaling and alarm actions at validate time', () => {
  it.each<[string, (d: Loose) => void, Issue[]]>([
    ['a cron that never runs (30 February)', (d) => (d.services.gateway.scaling.schedules = [{ name: 'feb', schedule: 'cron(0 9 30 2 ? *)', minTasks: 3 }]), [{ path: 'services.gateway.scaling.schedules[0].schedule', message: 'cron(0 9 30 2 ? *) never runs: no date matches it' }]],
    ['an unknown time zone', (d) => (d.services.gateway.scaling.schedules = [{ name: 'am', schedule: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Atlantis', minTasks: 3 }]), [{ path: 'services.gateway.scaling.schedules[0].timezone', message: 'unknown time zone "Europe/Atlantis": expected an IANA name such as "UTC" or "Europe/Paris"' }]],
    ['a schedule that sets nothing', (d) => (d.services.gateway.scaling.schedules = [{ name: 'am', schedule: 'rate(1 hour)' }]), [{ path: 'services.gateway.scaling.schedules[0]', message: 'a scheduled action sets minTasks, maxTasks or both' }]],
    [
      'overlapping step intervals',
      (d) => (d.alarms['gateway-5xx'].actions = [scaleAction([{ lowerBound: 0, upperBound: 10, change: 1 }, { lowerBound: 5, change: 2 }])]),
      [{ path: 'alarms.gateway-5xx.actions[0].adjustments[1]', message: "the interval [5, ∞) overlaps step 0's [0, 10)" }],
    ],
    [
      'steps of two kinds',
      (d) => (d.alarms['gateway-5xx'].actions = [scaleAction([{ lowerBound: 0, upperBound: 10, change: 1 }, { lowerBound: 10, change: '+50%' }])]),
      [{ path: 'alarms.gateway-5xx.actions[0].adjustments', message: "the steps of one action are all of one kind (Application Auto Scaling's AdjustmentType), got a change in tasks and a percentage" }],
    ],
    [
      'a scale action on a service that cannot scale',
      (d) => (d.alarms['gateway-5xx'].actions = [{ ...scaleAction([{ lowerBound: 0, change: 1 }]), service: 'catalog' }]),
      [{ path: 'alarms.gateway-5xx.actions[0].service', message: 'catalog cannot be scaled: its scaling.max equals its min (1); give it a larger max' }],
    ],
    [
      'a math expression referring to an undefined id',
      (d) => (d.alarms.ratio = metricAlarm({ stat: undefined, metrics: { m1: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' }, m2: { metric: 'RequestCount', stat: 'Sum' } }, expression: 'm1 / m3 * 100' })),
      [{ path: 'alarms.ratio.expression', message: 'the expression refers to "m3", which is not defined: metrics has m1, m2' }],
    ],
    ['a math expression that does not parse', (d) => (d.alarms.ratio = metricAlarm({ stat: undefined, metrics: { m1: { metric: 'RequestCount' } }, expression: 'm1 *' })), [{ path: 'alarms.ratio.expression', message: 'col 5: the expression ends too early' }]],
    ['both a metric and an expression', (d) => (d.alarms.ratio = metricAlarm({ metric: 'RequestCount', stat: undefined, metrics: { m1: { metric: 'RequestCount' } }, expression: 'm1' })), [{ path: 'alarms.ratio', message: 'give either metric or expression, not both' }]],
    [
      'a scaling target expression referring to an undefined id',
      (d) => (d.services.gateway.scaling.targets = [{ metrics: { depth: { metric: 'queue.depth' } }, expression: 'depth / workers', target: 10 }]),
      [{ path: 'services.gateway.scaling.targets[0].expression', message: 'the expression refers to "workers", which is not defined: metrics has depth' }],
    ],
  ])('%s', (_name, change, issues) => {
    expect(issuesOf(change)).toEqual(issues);
  });

  it('compiles schedules, targets, math and scale actions', () => {
    // GIVEN a definition with each of them WHEN validated THEN the resolved model carries them compiled
    const d = validDefinition() as Loose;
    d.services.gateway.scaling.schedules = [{ name: 'morning', schedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris', minTasks: 3 }];
    d.services.gateway.scaling.targets = [{ metric: 'queue.depth', stat: 'Maximum', period: '30s', target: 50 }];
    d.alarms.ratio = metricAlarm({
      stat: undefined,
      metrics: { errors: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' }, requests: { metric: 'RequestCount', stat: 'Sum' } },
      expression: 'errors / requests * 100',
      actions: [{ ...scaleAction([{ lowerBound: 0, upperBound: 10, change: '+50%' }, { lowerBound: 10, change: '+100%' }]), cooldown: '2m', minAdjustmentMagnitude: 2 }],
    });
    const r = validateApp(d);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const scaling = r.app.services.gateway!.scaling;
    expect(scaling.schedules).toEqual([{ name: 'morning', schedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris', minTasks: 3, maxTasks: undefined }]);
    expect(scaling.targets).toEqual([{ label: 'queue.depth', query: { metrics: { m1: { metric: 'queue.depth', dimensions: { service: 'gateway' }, stat: 'Maximum' } }, expression: undefined }, periodMs: 30_000, target: 50 }]);
    expect(scaling.scaledByAlarms).toEqual(['ratio']);
    const alarm = r.app.alarms.ratio!;
    expect(alarm).toMatchObject({
      kind: 'Metric',
      metric: 'errors / requests * 100',
      math: { expression: 'errors / requests * 100', metrics: { errors: { metric: 'HTTPCode_Target_5XX_Count', dimensions: { service: 'gateway' }, stat: 'Sum' } } },
      actions: [{ type: 'scale', service: 'gateway', adjustmentType: 'PercentChangeInCapacity', steps: [{ lowerBound: 0, upperBound: 10, adjustment: 50 }, { lowerBound: 10, upperBound: undefined, adjustment: 100 }], cooldownMs: 120_000, minAdjustmentMagnitude: 2 }],
    });
  });
});
