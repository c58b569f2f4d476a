import type { ResolvedEscalationPolicy } from '../../shared/index.js';

/** One step of an escalation: a level of the policy in one of its loops. */
export interface EscalationStep {
  /** 0-based position in the whole escalation (levels × loops). */
  readonly step: number;
  /** 1-based level of the policy. */
  readonly level: number;
  /** 0-based pass through the levels (`repeat` allows passes 1 … repeat). */
  readonly loop: number;
  /** Time without acknowledgement after this step's page before the next step. */
  readonly escalateAfterMs: number;
}

/** A page already sent: its step, when, and whether it reached anyone. */
export interface PageRecord {
  readonly step: number;
  readonly timeMs: number;
  /** false when the level had nobody to page (a schedule with nobody on call): the next step follows at once. */
  readonly reached: boolean;
}

/** What an unacknowledged escalation does next. */
export type EscalationDecision =
  | { readonly kind: 'page'; readonly step: EscalationStep; readonly dueAtMs: number }
  | { readonly kind: 'wait'; readonly next: 'page' | 'exhausted'; readonly dueAtMs: number }
  | { readonly kind: 'exhausted'; readonly dueAtMs: number };

/** The number of steps of a policy: its levels, `repeat + 1` times. */
export function stepCount(policy: ResolvedEscalationPolicy): number {
  return policy.levels.length * (policy.repeat + 1);
}

/** Step `step` of a policy, or undefined past the last. */
export function stepOf(policy: ResolvedEscalationPolicy, step: number): EscalationStep | undefined {
  if (!Number.isInteger(step) || step < 0 || step >= stepCount(policy)) return undefined;
  const index = step % policy.levels.length;
  return { step, level: index + 1, loop: Math.floor(step / policy.levels.length), escalateAfterMs: policy.levels[index]!.escalateAfterMs };
}

/**
 * The next move of an escalation nobody has acknowledged (pure). The first page is due at
 * `startMs`; each next one `escalateAfterMs` after the page before it (at once when that page
 * reached nobody). After the last step's delay the escalation is exhausted: nobody else is paged.
 */
export function nextEscalation(policy: ResolvedEscalationPolicy, startMs: number, pages: readonly PageRecord[], nowMs: number): EscalationDecision {
  const last = pages.at(-1);
  const nextStep = last === undefined ? 0 : last.step + 1;
  const dueAtMs = last === undefined ? startMs : last.reached ? last.timeMs + (stepOf(policy, last.step)?.escalateAfterMs ?? 0) : last.timeMs;
  const step = stepOf(policy, nextStep);
  if (nowMs < dueAtMs) return { kind: 'wait', next: step === undefined ? 'exhausted' : 'page', dueAtMs };
  return step === undefined ? { kind: 'exhausted', dueAtMs } : { kind: 'page', step, dueAtMs };
}

/** The whole plan of a policy started at `startMs`, if nobody acknowledges and every level reaches someone. */
export function escalationPlan(policy: ResolvedEscalationPolicy, startMs: number): (EscalationStep & { readonly atMs: number })[] {
  const out: (EscalationStep & { readonly atMs: number })[] = [];
  let atMs = startMs;
  for (let s = 0; s < stepCount(policy); s++) {
    const step = stepOf(policy, s)!;
    out.push({ ...step, atMs });
    atMs += step.escalateAfterMs;
  }
  return out;
}
