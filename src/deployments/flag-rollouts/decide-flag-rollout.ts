import { isFlagRolloutTerminal, type FlagRollout } from './model.js';

/** What the flag rollout engine does next. */
export type FlagRolloutDecision =
  | { readonly type: 'none' }
  /** A watched alarm is in ALARM: serve the previous definition to everyone. */
  | { readonly type: 'revert'; readonly alarms: readonly string[] }
  /** The current step has baked: serve the next step's share. */
  | { readonly type: 'advance' }
  /** The last step has baked: keep the new definition. */
  | { readonly type: 'complete' }
  /** Look again at `atMs` (or on the next alarm). */
  | { readonly type: 'wait'; readonly atMs: number };

/**
 * The flag rollout engine's decision (pure): a finished rollout does nothing; a watched alarm in
 * ALARM reverts it, paused or not (a paused rollout still serves its share); a paused one waits;
 * otherwise the current step bakes for its time, then the next step, and after the last, success.
 */
export function decideFlagRollout(r: FlagRollout, o: { readonly nowMs: number; readonly alarmsInAlarm: readonly string[] }): FlagRolloutDecision {
  if (isFlagRolloutTerminal(r.state)) return { type: 'none' };
  if (o.alarmsInAlarm.length > 0) return { type: 'revert', alarms: [...o.alarmsInAlarm] };
  if (r.state === 'Paused') return { type: 'none' };
  const step = r.plan[r.stepIndex];
  if (step === undefined) return { type: 'complete' };
  const end = r.stepStartedAtMs + step.bakeMs;
  if (o.nowMs < end) return { type: 'wait', atMs: end };
  return r.stepIndex >= r.plan.length - 1 ? { type: 'complete' } : { type: 'advance' };
}
