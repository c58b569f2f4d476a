import { describe, expect, it } from 'vitest';
import { adjustedCount, selectStep, stepAdjustmentProblems, type StepAdjustment } from './step-adjustments.js';

const step = (lowerBound: number | undefined, upperBound: number | undefined, adjustment: number): StepAdjustment => ({ lowerBound, upperBound, adjustment });

describe('selectStep', () => {
  // GIVEN steps +1 for [0, 10), +3 for [10, 20), +5 from 20 on (breaches above the threshold)
  const steps = [step(0, 10, 1), step(10, 20, 3), step(20, undefined, 5)];
  it.each([
    [0, 1], // the lower bound is inclusive above the threshold
    [9.99, 1],
    [10, 3],
    [19, 3],
    [20, 5],
    [1000, 5],
    [-1, undefined], // below the threshold: no step covers it
  ])('a breach of %s selects %s', (delta, adjustment) => {
    expect(selectStep(steps, delta)?.adjustment).toBe(adjustment);
  });

  it('below the threshold the upper bound is inclusive', () => {
    // GIVEN scale-in steps under the threshold WHEN the metric is exactly at -10 THEN the step ending at -10 applies
    const down = [step(-10, 0, -1), step(undefined, -10, -2)];
    expect(selectStep(down, -10)?.adjustment).toBe(-2);
    expect(selectStep(down, -9.5)?.adjustment).toBe(-1);
    expect(selectStep(down, -0.5)?.adjustment).toBe(-1);
  });
});

describe('stepAdjustmentProblems', () => {
  it.each([
    ['contiguous steps', [step(0, 10, 1), step(10, undefined, 2)], []],
    ['overlapping intervals', [step(0, 10, 1), step(5, undefined, 2)], [{ index: 1, message: "the interval [5, ∞) overlaps step 0's [0, 10)" }]],
    ['a gap', [step(0, 10, 1), step(15, undefined, 2)], [{ index: 1, message: "there is a gap between step 0's [0, 10) and [15, ∞): steps must be contiguous, as Application Auto Scaling requires" }]],
    ['no bound at all', [step(undefined, undefined, 1)], [{ index: 0, message: 'a step needs a lowerBound or an upperBound (or both): Application Auto Scaling refuses a step with neither' }]],
    ['an empty interval', [step(10, 10, 1)], [{ index: 0, message: 'lowerBound (10) must be below upperBound (10)' }]],
  ])('%s', (_name, steps, problems) => {
    expect(stepAdjustmentProblems(steps)).toEqual(problems);
  });
});

describe('adjustedCount', () => {
  it.each([
    [4, 'ChangeInCapacity', 2, undefined, 6],
    [4, 'ChangeInCapacity', -1, undefined, 3],
    [4, 'ExactCapacity', 7, undefined, 7],
    [4, 'PercentChangeInCapacity', 50, undefined, 6],
    [3, 'PercentChangeInCapacity', 50, undefined, 4], // 1.5 rounds down to 1
    [1, 'PercentChangeInCapacity', 10, undefined, 2], // 0.1 still adds a task
    [3, 'PercentChangeInCapacity', -50, undefined, 2], // -1.5 rounds towards zero
    [4, 'PercentChangeInCapacity', 25, 3, 7], // at least minAdjustmentMagnitude
  ] as const)('%s tasks, %s %s (min magnitude %s) → %s', (current, type, adjustment, magnitude, expected) => {
    expect(adjustedCount(current, type, adjustment, magnitude)).toBe(expected);
  });
});
