import { describe, expect, it } from 'vitest';
import type { ResolvedEscalationPolicy } from '../../shared/index.js';
import { escalationPlan, nextEscalation, type PageRecord } from './escalation-plan.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const policy: ResolvedEscalationPolicy = {
  name: 'standard',
  levels: [
    { targets: [{ kind: 'schedule', schedule: 'primary' }], escalateAfterMs: 10 * MIN },
    { targets: [{ kind: 'user', user: 'carol' }], escalateAfterMs: 5 * MIN },
  ],
  repeat: 1,
};
const page = (step: number, minute: number, reached = true): PageRecord => ({ step, timeMs: T0 + minute * MIN, reached });

describe('escalationPlan', () => {
  it('lists every level, repeat + 1 times, each after the delay of the one before', () => {
    // GIVEN two levels (10 min, 5 min) and one repeat WHEN planned from T0
    const plan = escalationPlan(policy, T0);
    // THEN level 1, level 2, level 1, level 2 at 0, 10, 15, 25 minutes
    expect(plan.map((s) => [s.level, s.loop, (s.atMs - T0) / MIN])).toEqual([
      [1, 0, 0],
      [2, 0, 10],
      [1, 1, 15],
      [2, 1, 25],
    ]);
  });
});

describe('nextEscalation', () => {
  const cases: { name: string; pages: PageRecord[]; nowMinute: number; expected: unknown }[] = [
    { name: 'nothing paged yet: level 1 now', pages: [], nowMinute: 0, expected: { kind: 'page', step: { step: 0, level: 1, loop: 0 }, dueAtMs: T0 } },
    { name: 'level 1 paged, its delay not over: wait', pages: [page(0, 0)], nowMinute: 9, expected: { kind: 'wait', next: 'page', dueAtMs: T0 + 10 * MIN } },
    { name: 'level 1 unacknowledged past its delay: level 2', pages: [page(0, 0)], nowMinute: 10, expected: { kind: 'page', step: { step: 1, level: 2, loop: 0 }, dueAtMs: T0 + 10 * MIN } },
    { name: 'after the last level, the repeat starts over at level 1', pages: [page(0, 0), page(1, 10)], nowMinute: 15, expected: { kind: 'page', step: { step: 2, level: 1, loop: 1 }, dueAtMs: T0 + 15 * MIN } },
    { name: 'a level that reached nobody escalates at once', pages: [page(0, 0, false)], nowMinute: 0, expected: { kind: 'page', step: { step: 1, level: 2 }, dueAtMs: T0 } },
    { name: 'the last step waits its delay before giving up', pages: [page(0, 0), page(1, 10), page(2, 15), page(3, 25)], nowMinute: 29, expected: { kind: 'wait', next: 'exhausted', dueAtMs: T0 + 30 * MIN } },
    { name: 'then the escalation is exhausted', pages: [page(0, 0), page(1, 10), page(2, 15), page(3, 25)], nowMinute: 30, expected: { kind: 'exhausted', dueAtMs: T0 + 30 * MIN } },
    { name: 'a late tick pages the next step only, not every step it missed', pages: [page(0, 0)], nowMinute: 120, expected: { kind: 'page', step: { step: 1, level: 2 } } },
  ];
  it.each(cases)('$name', ({ pages, nowMinute, expected }) => {
    // GIVEN the pages sent so far WHEN the escalation is decided at nowMinute THEN the next move is as expected
    expect(nextEscalation(policy, T0, pages, T0 + nowMinute * MIN)).toMatchObject(expected as object);
  });
});
