import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../../core/index.js';
import { progressLine } from './progress.js';

const ev = (type: string, data: Record<string, unknown>, subject = 'x/1'): SlipwayEvent => ({ seq: 1, timeMs: 0, type, subject, data });

const rollout = { rolloutId: 4, environment: 'production', key: 'newCheckout', state: 'InProgress', stepIndex: 0, percent: 25, fromVersion: 1, actor: 'demo', reason: null };

describe('progressLine', () => {
  it.each([
    // GIVEN an event WHEN it is turned into a line THEN the line reads its typed payload
    ['a run start', ev('pipeline.run.started', { runId: 3, trigger: 'push', ref: 'main', branch: 'main', commitSha: 'abcdef1234567890', stages: ['Build', 'Deploy'] }), '▶ pipeline run #3 for commit abcdef123456: Build → Deploy'],
    ["an alarm change in the first version's shape", ev('alarm.state.changed', { name: 'gateway-5xx', state: 'ALARM' }, 'alarm/gateway-5xx'), '  ! alarm gateway-5xx: ? → ALARM'],
    ['a flag rollout step', ev('flag.rollout.step', { ...rollout, stepIndex: 1, percent: 50, previousPercent: 25 }, 'flag-rollout/4'), '  ⚑ newCheckout in production: 25% → 50%'],
    [
      'a flag rollout an alarm reverted',
      ev('flag.rollout.rolled_back', { ...rollout, state: 'RolledBack', trigger: 'alarm', alarms: ['gateway-5xx'], revertMs: 9, revertedAtMs: 1, reachedPercent: 50 }, 'flag-rollout/4'),
      '  ↩ flag newCheckout in production reverted at 50% by alarm gateway-5xx in 9 ms',
    ],
    ['a payload the catalog cannot read', ev('pipeline.stage.started', { stage: 'Build' }), undefined],
    ['an event not worth a line', ev('task.started', {}), undefined],
  ])('%s', (_name, e, line) => {
    expect(progressLine(e)).toBe(line);
  });
});
