import { isTerminal, type Deployment, type RollbackRecord } from './model.js';
import type { RevisionHealth } from './target/service-description.js';

/** What a tick observed before deciding. */
export interface Observation {
  readonly nowMs: number;
  /** The new revision's task set. */
  readonly newHealth: RevisionHealth;
  /** Watched alarms (the environment's rollbackOn and the analysis alarms) now in ALARM. */
  readonly alarmsInAlarm: readonly string[];
}

/** Health limits of the new revision. */
export interface HealthLimits {
  /** Time a start or scale-out step may take before the new revision counts as unhealthy. */
  readonly healthDeadlineMs: number;
  /** Failed tasks in a row that count as a crash loop. */
  readonly crashLimit: number;
}

/** What the reconciler does next. */
export type Decision =
  | { readonly type: 'none' }
  | { readonly type: 'complete' }
  /** `alarms`: for an alarm rollback, the watched alarms in ALARM (recorded on the rollback event, for incidents). */
  | { readonly type: 'rollback'; readonly reason: string; readonly trigger: RollbackRecord['trigger']; readonly alarms?: readonly string[] }
  | { readonly type: 'continueRollback' }
  /** Apply the current step's action. */
  | { readonly type: 'act' }
  /** The current step's gate is met: go to the next step. */
  | { readonly type: 'advance' }
  /** The gate is not met yet: look again at `atMs` (or on the next event). */
  | { readonly type: 'poll'; readonly atMs: number }
  /** The wait is over and ends with an analysis run. */
  | { readonly type: 'analyze' }
  /** A shadow step's time is up: judge the comparison. */
  | { readonly type: 'judgeShadow' };

/** How often a gate on task health is re-checked when no event wakes the reconciler first. */
export const HEALTH_POLL_MS = 100;

/**
 * The reconciler's decision (pure): a rollback already under way goes on;
 * a paused, unapproved or finished deployment waits; a watched alarm in ALARM or a
 * crash-looping new revision rolls back; otherwise the current step is
 * applied, or its gate (healthy tasks, elapsed time) checked.
 */
export function decide(d: Deployment, o: Observation, limits: HealthLimits): Decision {
  if (isTerminal(d.state)) return { type: 'none' };
  if (d.rollback) return { type: 'continueRollback' };
  // Nothing is applied before an approval (or while paused): the commands that end the wait kick the reconciler.
  if (d.state === 'Paused' || d.state === 'AwaitingApproval') return { type: 'none' };
  if (d.state !== 'Created') {
    if (o.alarmsInAlarm.length > 0) return { type: 'rollback', reason: `alarm ${o.alarmsInAlarm.join(', ')} in ALARM`, trigger: 'alarm', alarms: [...o.alarmsInAlarm] };
    if (o.newHealth.failureStreak >= limits.crashLimit) {
      return { type: 'rollback', reason: `the new revision keeps crashing (${o.newHealth.failureStreak} failed tasks in a row)`, trigger: 'health' };
    }
  }
  const step = d.plan[d.stepIndex];
  if (step === undefined) return { type: 'complete' };
  if (!d.stepActed) return { type: 'act' };
  const since = d.stepStartedAtMs ?? o.nowMs;
  switch (step.type) {
    case 'start':
    case 'scale': {
      if (step.type === 'scale' && step.revision === 'old') return { type: 'advance' };
      const h = o.newHealth;
      if (h.healthyCount >= step.desiredCount && h.routed) return { type: 'advance' };
      if (o.nowMs - since > limits.healthDeadlineMs) {
        return { type: 'rollback', reason: `the new revision has ${h.healthyCount} of ${step.desiredCount} tasks healthy after ${limits.healthDeadlineMs} ms`, trigger: 'health' };
      }
      return { type: 'poll', atMs: o.nowMs + HEALTH_POLL_MS };
    }
    case 'shadow': {
      const end = since + step.durationMs;
      return o.nowMs < end ? { type: 'poll', atMs: end } : { type: 'judgeShadow' };
    }
    case 'wait': {
      const end = since + step.durationMs;
      if (o.nowMs < end) return { type: 'poll', atMs: end };
      return step.analysis ? { type: 'analyze' } : { type: 'advance' };
    }
    default:
      return { type: 'advance' };
  }
}
