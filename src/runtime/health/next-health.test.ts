import { describe, expect, it } from 'vitest';
import { nextHealth, type HealthCounters } from './next-health.js';

const check = { healthyThreshold: 2, unhealthyThreshold: 3 };
const c = (state: HealthCounters['state'], successes: number, failures: number): HealthCounters => ({ state, successes, failures });

describe('nextHealth', () => {
  it.each<[string, HealthCounters, boolean, boolean, HealthCounters]>([
    // GIVEN counters, a result and whether in grace WHEN applied THEN the new counters
    ['a first success counts', c('Starting', 0, 0), true, false, c('Starting', 1, 0)],
    ['the threshold of successes makes it Healthy', c('Starting', 1, 0), true, false, c('Healthy', 2, 0)],
    ['a success resets failures', c('Starting', 0, 2), true, false, c('Starting', 1, 0)],
    ['a failure in grace does not count', c('Starting', 1, 0), false, true, c('Starting', 0, 0)],
    ['a failure after grace counts', c('Starting', 1, 0), false, false, c('Starting', 0, 1)],
    ['the threshold of failures makes a Starting task Unhealthy', c('Starting', 0, 2), false, false, c('Unhealthy', 0, 3)],
    ['a Healthy task stays Healthy below the threshold', c('Healthy', 5, 1), false, false, c('Healthy', 0, 2)],
    ['a Healthy task goes Unhealthy at the threshold', c('Healthy', 0, 2), false, false, c('Unhealthy', 0, 3)],
    ['a Healthy task recovers its count on success', c('Healthy', 0, 2), true, false, c('Healthy', 1, 0)],
    ['successes are counted up to the threshold', c('Healthy', 2, 0), true, false, c('Healthy', 2, 0)],
    ['a Stopping task is not checked', c('Stopping', 0, 0), false, false, c('Stopping', 0, 0)],
  ])('%s', (_name, current, ok, inGrace, expected) => {
    expect(nextHealth(current, ok, inGrace, check)).toEqual(expected);
  });
});
