import { describe, expect, it } from 'vitest';
import { resolveStrategy, type ResolvedFlag } from '../../shared/index.js';
import { decideFlagRollout, type FlagRolloutDecision } from './decide-flag-rollout.js';
import type { FlagRollout } from './model.js';
import { planFlagRollout } from './plan-flag-rollout.js';

const flag: ResolvedFlag = { key: 'f', defaultValue: false, variants: undefined, rules: [], description: undefined };
const plan = [{ percent: 5, bakeMs: 1000 }, { percent: 25, bakeMs: 1000 }, { percent: 100, bakeMs: 0 }];
const rollout = (r: Partial<FlagRollout>): FlagRollout => ({
  id: 1, environment: 'production', key: 'f', strategy: 'Canary', plan, state: 'InProgress', stepIndex: 0, percent: 5, stepStartedAtMs: 0, fromVersion: 1, toVersion: null,
  from: flag, to: { ...flag, defaultValue: true }, watchedAlarms: ['a'], actor: 'ana', rollback: null, createdAtMs: 0, updatedAtMs: 0, finishedAtMs: null, ...r,
});

describe('decideFlagRollout', () => {
  it.each<[string, Partial<FlagRollout>, number, readonly string[], FlagRolloutDecision]>([
    // GIVEN a rollout, the time and the watched alarms in ALARM THEN what the engine does
    ['bakes until its step is over', {}, 400, [], { type: 'wait', atMs: 1000 }],
    ['goes to the next step after the bake', {}, 1000, [], { type: 'advance' }],
    ['completes after the last step', { stepIndex: 2, percent: 100, stepStartedAtMs: 2000 }, 2000, [], { type: 'complete' }],
    ['reverts on an alarm, whatever the step', { stepIndex: 1, percent: 25 }, 10, ['a'], { type: 'revert', alarms: ['a'] }],
    ['reverts a paused rollout on an alarm (it still serves its share)', { state: 'Paused' }, 10, ['a'], { type: 'revert', alarms: ['a'] }],
    ['does nothing while paused', { state: 'Paused' }, 5000, [], { type: 'none' }],
    ['does nothing once finished, alarm or not', { state: 'RolledBack' }, 5000, ['a'], { type: 'none' }],
  ])('%s', (_name, r, nowMs, alarmsInAlarm, expected) => {
    expect(decideFlagRollout(rollout(r), { nowMs, alarmsInAlarm })).toEqual(expected);
  });
});

describe('planFlagRollout', () => {
  const ctx = { hasTestPort: false, rollbackOn: [] };
  it.each<[string, Parameters<typeof resolveStrategy>[0], ReturnType<typeof planFlagRollout>]>([
    // GIVEN a strategy as in the app model THEN the shares and bake times
    ['all at once: one step at 100 %', 'CodeDeployDefault.AllAtOnce', [{ percent: 100, bakeMs: 0 }]],
    ['a canary: its steps, baking its interval but the last', { type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }, [{ percent: 5, bakeMs: 30_000 }, { percent: 25, bakeMs: 30_000 }, { percent: 50, bakeMs: 30_000 }, { percent: 100, bakeMs: 0 }]],
    ['a linear strategy', { type: 'linear', percent: 40, every: '1m' }, [{ percent: 40, bakeMs: 60_000 }, { percent: 80, bakeMs: 60_000 }, { percent: 100, bakeMs: 0 }]],
    ['a CodeDeploy canary', 'CodeDeployDefault.ECSCanary10Percent5Minutes', [{ percent: 10, bakeMs: 300_000 }, { percent: 100, bakeMs: 0 }]],
  ])('%s', (_name, strategy, expected) => {
    expect(planFlagRollout(resolveStrategy(strategy, ctx))).toEqual(expected);
  });

  it('refuses strategies that move tasks', () => {
    expect(() => planFlagRollout(resolveStrategy({ type: 'blueGreen' }, ctx))).toThrow(expect.objectContaining({ code: 'SLW_ERR_FLAG_ROLLOUT_INVALID' }) as Error);
    expect(() => planFlagRollout(resolveStrategy('CodeDeployDefault.OneAtATime', ctx))).toThrow(expect.objectContaining({ code: 'SLW_ERR_FLAG_ROLLOUT_INVALID' }) as Error);
  });
});
