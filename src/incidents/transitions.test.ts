import { describe, expect, it } from 'vitest';
import type { IncidentState } from './model.js';
import { decideTransition, type IncidentTransition } from './transitions.js';

describe('decideTransition', () => {
  // GIVEN an incident 7 in a state, WHEN a transition is asked for, THEN the next state or the exact refusal
  const cases: [IncidentState, IncidentTransition, IncidentState | string][] = [
    ['Triggered', 'acknowledge', 'Acknowledged'],
    ['Triggered', 'mitigate', 'Mitigated'],
    ['Triggered', 'resolve', 'cannot resolve incident 7: it is Triggered; acknowledge or mitigate it first'],
    ['Triggered', 'completePostmortem', 'cannot complete the postmortem of incident 7: it is Triggered; resolve it first'],
    ['Acknowledged', 'acknowledge', 'cannot acknowledge incident 7: it is Acknowledged already'],
    ['Acknowledged', 'mitigate', 'Mitigated'],
    ['Acknowledged', 'resolve', 'Resolved'],
    ['Acknowledged', 'completePostmortem', 'cannot complete the postmortem of incident 7: it is Acknowledged; resolve it first'],
    ['Mitigated', 'acknowledge', 'cannot acknowledge incident 7: it is Mitigated; only a Triggered incident can be acknowledged'],
    ['Mitigated', 'mitigate', 'cannot mitigate incident 7: it is Mitigated already'],
    ['Mitigated', 'resolve', 'Resolved'],
    ['Resolved', 'acknowledge', 'cannot acknowledge incident 7: it is Resolved; only a Triggered incident can be acknowledged'],
    ['Resolved', 'mitigate', 'cannot mitigate incident 7: it is Resolved; only a Triggered or Acknowledged incident can be mitigated'],
    ['Resolved', 'resolve', 'cannot resolve incident 7: it is Resolved already'],
    ['Resolved', 'completePostmortem', 'PostmortemDone'],
    ['PostmortemDone', 'resolve', 'cannot resolve incident 7: it is PostmortemDone; only an Acknowledged or Mitigated incident can be resolved'],
    ['PostmortemDone', 'completePostmortem', 'cannot complete the postmortem of incident 7: it is PostmortemDone already'],
  ];
  it.each(cases)('%s + %s → %s', (state, transition, expected) => {
    const decision = decideTransition(7, state, transition);
    expect(decision.ok ? decision.to : decision.message).toBe(expected);
  });
});
