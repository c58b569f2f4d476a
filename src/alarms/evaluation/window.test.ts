import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { transition } from './transition.js';
import { alignToPeriod, evaluationWindow } from './window.js';

const MIN = 60_000;
const at = (h: number, m: number, s = 0) => Date.UTC(2026, 0, 12, h, m, s);

describe('alignToPeriod', () => {
  it.each([
    [at(10, 7, 30), MIN, at(10, 7)],
    [at(10, 7, 30), 5 * MIN, at(10, 5)],
    [at(10, 5), 5 * MIN, at(10, 5)],
    [-1, MIN, -MIN],
    [0, MIN, 0],
  ])('aligns %i to a %i ms period → %i', (timeMs, periodMs, want) => {
    // GIVEN a time WHEN aligned THEN it is the start of its period (epoch-aligned, also before 1970)
    expect(alignToPeriod(timeMs, periodMs)).toBe(want);
  });

  it('rejects a non-positive period', () => {
    // GIVEN a period of 0 WHEN aligning THEN an InputError with the alarm code
    expect(() => alignToPeriod(1, 0)).toThrow(InputError);
  });
});

describe('evaluationWindow', () => {
  it.each([
    // GIVEN now inside a period → the open period is excluded
    [at(10, 7, 30), 5 * MIN, 3, 2, [at(9, 40), at(9, 45), at(9, 50), at(9, 55), at(10, 0)]],
    // GIVEN now exactly on a boundary → the period that just closed is the newest
    [at(10, 5), 5 * MIN, 3, 2, [at(9, 40), at(9, 45), at(9, 50), at(9, 55), at(10, 0)]],
    // GIVEN no lookback → only the N periods
    [at(10, 0, 1), MIN, 1, 0, [at(9, 59)]],
  ])('at %i with period %i, N=%i, lookback %i → %j', (nowMs, periodMs, n, lookback, want) => {
    // WHEN the window is computed THEN the period starts are exact, oldest first
    expect(evaluationWindow(nowMs, periodMs, n, lookback)).toEqual(want);
  });

  it('looks back two extra periods by default', () => {
    // GIVEN a 3-period alarm WHEN the window is computed without a lookback THEN 5 periods come back
    expect(evaluationWindow(at(10, 7), MIN, 3)).toEqual([at(10, 2), at(10, 3), at(10, 4), at(10, 5), at(10, 6)]);
  });
});

describe('transition', () => {
  const evaluation = { state: 'ALARM' as const, reason: 'Threshold Crossed: …', breachingCount: 3, evaluatedCount: 3 };
  it.each([
    ['OK', true],
    ['INSUFFICIENT_DATA', true],
    ['ALARM', false],
  ] as const)('from %s to ALARM → changed %s', (prev, changed) => {
    // GIVEN a previous state and an ALARM evaluation WHEN compared at 10:00
    const result = transition(prev, evaluation, at(10, 0));
    // THEN a change yields an entry with both states and the reason; no change yields none
    expect(result).toEqual(
      changed ? { changed: true, entry: { timeMs: at(10, 0), oldState: prev, newState: 'ALARM', reason: 'Threshold Crossed: …' } } : { changed: false },
    );
  });
});
