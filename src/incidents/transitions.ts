import type { IncidentState } from './model.js';

/** What a user (or the postmortem) does to an incident's state. */
export type IncidentTransition = 'acknowledge' | 'mitigate' | 'resolve' | 'completePostmortem';

/**
 * The legal transitions (docs/incidents.md):
 * - acknowledge: Triggered → Acknowledged
 * - mitigate: Triggered | Acknowledged → Mitigated
 * - resolve: Acknowledged | Mitigated → Resolved (a Triggered incident must be acknowledged or mitigated first)
 * - completePostmortem: Resolved → PostmortemDone (writing the postmortem)
 * Nothing goes backwards; a recurrence after resolution opens a new incident.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<IncidentTransition, { readonly from: readonly IncidentState[]; readonly to: IncidentState }>> = {
  acknowledge: { from: ['Triggered'], to: 'Acknowledged' },
  mitigate: { from: ['Triggered', 'Acknowledged'], to: 'Mitigated' },
  resolve: { from: ['Acknowledged', 'Mitigated'], to: 'Resolved' },
  completePostmortem: { from: ['Resolved'], to: 'PostmortemDone' },
};

const VERB: Readonly<Record<IncidentTransition, string>> = {
  acknowledge: 'acknowledge',
  mitigate: 'mitigate',
  resolve: 'resolve',
  completePostmortem: 'complete the postmortem of',
};

const ORDER: readonly IncidentState[] = ['Triggered', 'Acknowledged', 'Mitigated', 'Resolved', 'PostmortemDone'];

/** The outcome of {@link decideTransition}: the next state, or why not. */
export type TransitionDecision = { readonly ok: true; readonly to: IncidentState } | { readonly ok: false; readonly message: string };

/**
 * Decides a transition (pure). Refusals read `cannot <verb> incident <id>: it is <State>; <what to do>`,
 * e.g. `cannot resolve incident 7: it is Triggered; acknowledge or mitigate it first`.
 */
export function decideTransition(id: number, state: IncidentState, transition: IncidentTransition): TransitionDecision {
  const rule = LEGAL_TRANSITIONS[transition];
  if (rule.from.includes(state)) return { ok: true, to: rule.to };
  const head = `cannot ${VERB[transition]} incident ${id}: it is ${state}`;
  if (state === rule.to) return { ok: false, message: `${head} already` };
  if (ORDER.indexOf(state) < ORDER.indexOf(rule.from[0]!)) {
    // Only resolve and completePostmortem have prerequisites a user can still satisfy.
    return { ok: false, message: transition === 'resolve' ? `${head}; acknowledge or mitigate it first` : `${head}; resolve it first` };
  }
  const allowed = rule.from.join(' or ');
  return { ok: false, message: `${head}; only a${/^[AEIOU]/.test(allowed) ? 'n' : ''} ${allowed} incident can be ${pastParticiple(transition)}` };
}

function pastParticiple(t: IncidentTransition): string {
  return t === 'acknowledge' ? 'acknowledged' : t === 'mitigate' ? 'mitigated' : t === 'resolve' ? 'resolved' : 'given a postmortem';
}
