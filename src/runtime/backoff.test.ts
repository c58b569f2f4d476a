import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.js';

describe('backoffDelayMs', () => {
  it.each([
    // GIVEN a failure streak WHEN the default policy applies THEN the delay
    [0, 0],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [1000, 30_000],
  ])('streak %i waits %i ms', (streak, delay) => {
    expect(backoffDelayMs(streak, DEFAULT_BACKOFF)).toBe(delay);
  });
});
