import type { HealthCheckSpec, TaskState } from '../model.js';

/** The health counters of a task. */
export interface HealthCounters {
  readonly state: TaskState;
  readonly successes: number;
  readonly failures: number;
}

/**
 * The counters after one check (pure). Only Starting and Healthy tasks are
 * checked: `healthyThreshold` successes in a row make a Starting task
 * Healthy; `unhealthyThreshold` failures in a row make it Unhealthy, except
 * that failures within the grace period after start do not count. Successes are
 * counted up to `healthyThreshold`, so a steady Healthy task's counters stay put.
 */
export function nextHealth(current: HealthCounters, ok: boolean, inGracePeriod: boolean, check: Pick<HealthCheckSpec, 'healthyThreshold' | 'unhealthyThreshold'>): HealthCounters {
  if (current.state !== 'Starting' && current.state !== 'Healthy') return current;
  if (ok) {
    // Counted up to the threshold, all that decides anything: a Healthy task's passing checks change nothing stored.
    const successes = Math.min(current.successes + 1, Math.max(1, check.healthyThreshold));
    const state = current.state === 'Starting' && successes >= check.healthyThreshold ? 'Healthy' : current.state;
    return { state, successes, failures: 0 };
  }
  if (inGracePeriod) return { state: current.state, successes: 0, failures: 0 };
  const failures = current.failures + 1;
  return { state: failures >= check.unhealthyThreshold ? 'Unhealthy' : current.state, successes: 0, failures };
}
