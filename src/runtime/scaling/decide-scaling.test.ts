import { describe, expect, it } from 'vitest';
import { decideScaling, type ScalingInput } from './decide-scaling.js';

const base: ScalingInput = {
  currentCount: 2,
  measured: 60,
  target: 60,
  minCount: 1,
  maxCount: 10,
  nowMs: 1_000_000,
  lastScaleOutMs: null,
  lastScaleInMs: null,
  scaleOutCooldownMs: 60_000,
  scaleInCooldownMs: 300_000,
};

describe('decideScaling', () => {
  it.each<[string, Partial<ScalingInput>, number, string]>([
    // GIVEN … WHEN decided THEN desired count and reason
    ['at target', {}, 2, 'at target: 60 against a target of 60'],
    ['float noise does not add a task', { currentCount: 3, measured: 70, target: 70 }, 3, 'at target: 70 against a target of 70'],
    ['double the load doubles the tasks', { measured: 120 }, 4, 'scale out: 120 against a target of 60'],
    ['slightly over target rounds up', { measured: 61 }, 3, 'scale out: 61 against a target of 60'],
    ['scale-out is capped at max', { measured: 600 }, 10, 'scale out: 600 against a target of 60 (capped at 10)'],
    ['scale-out waits for its cooldown', { measured: 120, lastScaleOutMs: 1_000_000 - 59_999 }, 2, 'scale-out cooldown (120 against a target of 60)'],
    ['scale-out after its cooldown', { measured: 120, lastScaleOutMs: 1_000_000 - 60_000 }, 4, 'scale out: 120 against a target of 60'],
    ['scale-out ignores the scale-in cooldown', { measured: 120, lastScaleInMs: 1_000_000 - 1 }, 4, 'scale out: 120 against a target of 60'],
    ['no measurement, no change', { measured: undefined }, 2, 'no measurement'],
    ['a NaN measurement, no change', { measured: Number.NaN }, 2, 'no measurement'],
    ['below min is raised even without data', { currentCount: 0, minCount: 2, measured: undefined }, 2, 'below the minimum of 2'],
    ['above max is lowered even in cooldown', { currentCount: 12, lastScaleInMs: 1_000_000 }, 10, 'above the maximum of 10'],
    ['zero tasks cannot be measured', { currentCount: 0, minCount: 0 }, 0, 'no tasks to measure'],
    ['half the load halves the tasks', { currentCount: 4, measured: 20 }, 2, 'scale in: 20 against a target of 60'],
    ['scale-in keeps the margin under target', { currentCount: 4, measured: 30 }, 3, 'scale in: 30 against a target of 60'],
    ['scale-in that would land near target is skipped', { currentCount: 2, measured: 29 }, 2, 'within the scale-in margin (29 against a target of 60)'],
    ['scale-in never goes below min', { currentCount: 4, measured: 1, minCount: 2 }, 2, 'scale in: 1 against a target of 60'],
    ['scale-in waits for its cooldown', { currentCount: 4, measured: 20, lastScaleInMs: 1_000_000 - 299_999 }, 4, 'scale-in cooldown (20 against a target of 60)'],
    ['scale-in waits after a scale-out too', { currentCount: 4, measured: 20, lastScaleOutMs: 1_000_000 - 100_000 }, 4, 'scale-in cooldown (20 against a target of 60)'],
    ['scale-in after its cooldown', { currentCount: 4, measured: 20, lastScaleInMs: 1_000_000 - 300_000 }, 2, 'scale in: 20 against a target of 60'],
    ['zero load scales in to min', { currentCount: 5, measured: 0 }, 1, 'scale in: 0 against a target of 60'],
    ['a custom margin of 0 scales in to the exact count', { currentCount: 2, measured: 29, scaleInMargin: 0 }, 1, 'scale in: 29 against a target of 60'],
    ['requests per task work the same way', { currentCount: 3, measured: 150, target: 100 }, 5, 'scale out: 150 against a target of 100'],
  ])('%s', (_name, overrides, desiredCount, reason) => {
    expect(decideScaling({ ...base, ...overrides })).toEqual({ desiredCount, reason });
  });
});
