import { describe, expect, it } from 'vitest';
import { resolveApp } from '../shared/index.js';
import { driftsOf } from './drift.js';
import type { ObservedService } from './ports.js';

const serviceWith = (scaling: Record<string, unknown>) => resolveApp({ name: 'a', services: { web: { path: 'web', start: 'node s.js', scaling } }, environments: { prod: { ingressPort: 8080 } } }).services.web!;
const running = (desiredCount: number): ObservedService => ({
  name: 'web',
  revisions: [{ revision: 'r1', weightPercent: 100, desiredCount, healthyCount: desiredCount, secrets: {} }],
  deploying: false,
  expectedRevision: 'r1',
  routerMismatch: null,
  currentSecrets: {},
});

describe('drift of a task count moved by autoscaling', () => {
  it('is no drift inside any range a scheduled action can set, and drift outside it', () => {
    // GIVEN a service of 1..2 tasks whose office-hours action raises the range to 4..6
    const web = serviceWith({ min: 1, max: 2, schedules: [{ name: 'office-hours', schedule: 'cron(0 8 ? * MON-FRI *)', minTasks: 4, maxTasks: 6 }] });
    // WHEN it runs 5 tasks (the scheduled range) THEN nothing is reported; 7 is over every range: drift, healed to 6
    expect(driftsOf('prod', web, running(5))).toEqual([]);
    expect(driftsOf('prod', web, running(7))).toMatchObject([{ kind: 'count', expected: { revision: 'r1', desiredCount: 6 } }]);
  });

  it('leaves a count set by an alarm action inside the range alone', () => {
    // GIVEN a service of 1..4 that only an alarm's scale action scales WHEN it runs 3 THEN no drift (without autoscaling it would be the minimum)
    const app = resolveApp({
      name: 'a',
      services: { web: { path: 'web', start: 'node s.js', scaling: { min: 1, max: 4 } } },
      environments: { prod: { ingressPort: 8080 } },
      alarms: { busy: { metric: 'queue.backlog', service: 'web', threshold: 10, actions: [{ type: 'scale', service: 'web', adjustments: [{ lowerBound: 0, change: 1 }] }] } },
    });
    expect(driftsOf('prod', app.services.web!, running(3))).toEqual([]);
    expect(driftsOf('prod', serviceWith({ min: 1, max: 4 }), running(3))).toMatchObject([{ kind: 'count', expected: { desiredCount: 1 } }]);
  });
});
