import { describe, expect, it } from 'vitest';
import { decide, type Decision, type Observation } from './decide.js';
import type { Deployment, DeploymentStep } from './model.js';

const plan: DeploymentStep[] = [
  { type: 'start', desiredCount: 2 },
  { type: 'traffic', newPercent: 10 },
  { type: 'wait', durationMs: 1000, analysis: true, phase: 'InProgress', purpose: 'interval' },
  { type: 'traffic', newPercent: 100 },
  { type: 'retireOld' },
];
const shadowPlan: DeploymentStep[] = [{ type: 'start', desiredCount: 2 }, { type: 'shadow', percent: 20, durationMs: 2000 }, { type: 'traffic', newPercent: 100 }];
const base = { state: 'InProgress', plan, stepIndex: 0, stepActed: true, stepStartedAtMs: 10_000, rollback: null } as unknown as Deployment;
const healthy = { desiredCount: 2, healthyCount: 2, routed: true, failureStreak: 0 };
const obs: Observation = { nowMs: 10_500, newHealth: healthy, alarmsInAlarm: [] };
const limits = { healthDeadlineMs: 30_000, crashLimit: 3 };

describe('decide', () => {
  const cases: { name: string; d?: Partial<Deployment>; o?: Partial<Observation>; want: Decision['type'] | Decision }[] = [
    { name: 'a finished deployment does nothing', d: { state: 'Succeeded' }, want: 'none' },
    { name: 'a paused deployment waits, even with an alarm', d: { state: 'Paused' }, o: { alarmsInAlarm: ['x'] }, want: 'none' },
    { name: 'a deployment awaiting approval applies nothing, even with an alarm or a crash loop', d: { state: 'AwaitingApproval', stepActed: false }, o: { alarmsInAlarm: ['x'], newHealth: { ...healthy, failureStreak: 5 } }, want: 'none' },
    { name: 'an approved deployment (Created again) acts', d: { state: 'Created', stepActed: false, approval: { status: 'Approved', requestedAtMs: 0, decidedAtMs: 1, by: 'ana', comment: null } }, want: 'act' },
    { name: 'a rejected deployment does nothing', d: { state: 'Rejected' }, want: 'none' },
    { name: 'a rollback under way goes on', d: { rollback: { reason: 'r', trigger: 'alarm', requestedAtMs: 0, finalState: 'RolledBack', rollbackMs: null } }, want: 'continueRollback' },
    { name: 'a new deployment acts first', d: { state: 'Created', stepActed: false }, want: 'act' },
    { name: 'an alarm in ALARM rolls back', o: { alarmsInAlarm: ['gateway-5xx'] }, want: { type: 'rollback', reason: 'alarm gateway-5xx in ALARM', trigger: 'alarm', alarms: ['gateway-5xx'] } },
    { name: 'a crash loop rolls back', o: { newHealth: { ...healthy, healthyCount: 0, failureStreak: 3 } }, want: 'rollback' },
    { name: 'start: all tasks healthy and routed → advance', want: 'advance' },
    { name: 'start: healthy but not routed yet → poll', o: { newHealth: { ...healthy, routed: false } }, want: { type: 'poll', atMs: 10_600 } },
    { name: 'start: one of two healthy → poll', o: { newHealth: { ...healthy, healthyCount: 1 } }, want: 'poll' },
    { name: 'start: not healthy by the deadline → rollback', o: { nowMs: 40_001, newHealth: { ...healthy, healthyCount: 0, routed: false } }, want: 'rollback' },
    { name: 'a step not yet applied is applied', d: { stepIndex: 1, stepActed: false }, want: 'act' },
    { name: 'wait: before its end → poll until the end', d: { stepIndex: 2 }, want: { type: 'poll', atMs: 11_000 } },
    { name: 'wait: over, with analysis → analyze', d: { stepIndex: 2 }, o: { nowMs: 11_000 }, want: 'analyze' },
    { name: 'wait: over, an alarm wins over the analysis', d: { stepIndex: 2, state: 'Baking' }, o: { nowMs: 11_000, alarmsInAlarm: ['a'] }, want: 'rollback' },
    { name: 'past the last step → complete', d: { stepIndex: 5 }, want: 'complete' },
    { name: 'shadow: not yet applied → act', d: { plan: shadowPlan, stepIndex: 1, stepActed: false }, want: 'act' },
    { name: 'shadow: before its end → poll until the end', d: { plan: shadowPlan, stepIndex: 1 }, want: { type: 'poll', atMs: 12_000 } },
    { name: 'shadow: over → judge the comparison', d: { plan: shadowPlan, stepIndex: 1 }, o: { nowMs: 12_000 }, want: 'judgeShadow' },
    { name: 'shadow: an alarm wins over the comparison', d: { plan: shadowPlan, stepIndex: 1 }, o: { nowMs: 12_000, alarmsInAlarm: ['a'] }, want: 'rollback' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a deployment and what the tick observed WHEN deciding THEN
      const got = decide({ ...base, ...c.d }, { ...obs, ...c.o }, limits);
      if (typeof c.want === 'string') expect(got.type).toBe(c.want);
      else expect(got).toEqual(c.want);
    });
  }
});
