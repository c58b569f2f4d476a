import { describe, expect, it } from 'vitest';
import { isPostmortemOverdue, postmortemDueAtMs } from './postmortem-deadline.js';

const at = (day: number, hour = 15) => Date.UTC(2026, 2, day, hour); // March 2026: the 2nd is a Monday

describe('postmortemDueAtMs', () => {
  it.each([
    // GIVEN a resolution at … THEN the postmortem is due five business days later, weekends skipped
    ['Monday', at(2), at(9)],
    ['Wednesday', at(4), at(11)],
    ['Friday', at(6), at(13)],
    ['Saturday (counts from Monday 00:00)', at(7), Date.UTC(2026, 2, 16, 0)],
    ['Sunday (counts from Monday 00:00)', at(8), Date.UTC(2026, 2, 16, 0)],
  ])('resolved on a %s', (_, resolved, due) => {
    expect(new Date(postmortemDueAtMs(resolved)).toISOString()).toBe(new Date(due).toISOString());
  });

  it('takes another number of business days', () => {
    // GIVEN a Thursday resolution WHEN one business day is allowed THEN it is due on Friday; two, on Monday
    expect(postmortemDueAtMs(at(5), 1)).toBe(at(6));
    expect(postmortemDueAtMs(at(5), 2)).toBe(at(9));
  });
});

describe('isPostmortemOverdue', () => {
  const resolved = { state: 'Resolved', resolvedAtMs: at(2), postmortemAtMs: null };
  it.each([
    ['resolved, deadline not reached', resolved, at(9) - 1, false],
    ['resolved, at the deadline', resolved, at(9), false],
    ['resolved, past the deadline', resolved, at(9) + 1, true],
    ['postmortem written', { ...resolved, state: 'PostmortemDone', postmortemAtMs: at(3) }, at(20), false],
    ['still open', { state: 'Acknowledged', resolvedAtMs: null, postmortemAtMs: null }, at(20), false],
  ])('%s', (_, incident, now, overdue) => {
    expect(isPostmortemOverdue(incident, now)).toBe(overdue);
  });
});
