import { describe, expect, it } from 'vitest';
import { compileSchedule, lastRunBetween, type CompiledSchedule } from './scaling-schedule.js';

const compiled = (expression: string, timezone = 'UTC'): CompiledSchedule => {
  const r = compileSchedule(expression, timezone);
  if (!r.ok) throw new Error(r.message);
  return r.schedule;
};
const at = (iso: string): number => Date.parse(iso);
const next = (expression: string, timezone: string, afterIso: string): string | undefined => {
  const t = compiled(expression, timezone).nextRunAfter(at(afterIso));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('compileSchedule', () => {
  it.each([
    // GIVEN an AWS cron expression and a time zone WHEN asked for the next run after a time THEN it is that local time in UTC
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Paris', '2026-12-04T00:00:00Z', '2026-12-04T08:00:00.000Z'], // Friday 09:00 CET
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Paris', '2026-12-04T08:00:00Z', '2026-12-07T08:00:00.000Z'], // then Monday
    ['cron(0 9 ? * 2-6 *)', 'Europe/Paris', '2026-12-04T08:00:00Z', '2026-12-07T08:00:00.000Z'], // 1-7 = SUN-SAT
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Paris', '2026-07-01T00:00:00Z', '2026-07-01T07:00:00.000Z'], // summer time: CEST
    ['cron(30 18 L * ? *)', 'America/New_York', '2026-12-01T00:00:00Z', '2026-12-31T23:30:00.000Z'], // last day of the month
    ['cron(0 12 ? * 6#3 *)', 'UTC', '2026-12-01T00:00:00Z', '2026-12-18T12:00:00.000Z'], // third Friday
    ['cron(0/15 * * * ? *)', 'UTC', '2026-12-04T10:01:00Z', '2026-12-04T10:15:00.000Z'], // AWS's 0/15 steps
    ['cron(0 0 1 1 ? 2027)', 'UTC', '2026-12-04T10:00:00Z', '2027-01-01T00:00:00.000Z'], // one year only
    ['cron(0 0 1 1 ? 2020)', 'UTC', '2026-12-04T10:00:00Z', undefined], // in the past: valid, but no run left
    ['at(2026-12-24T18:00:00)', 'Europe/Paris', '2026-12-04T00:00:00Z', '2026-12-24T17:00:00.000Z'],
    ['at(2026-12-24T18:00:00)', 'Europe/Paris', '2026-12-24T17:00:00Z', undefined],
    ['rate(6 hours)', 'UTC', '2026-12-04T07:00:00Z', '2026-12-04T12:00:00.000Z'],
    ['rate(1 day)', 'UTC', '2026-12-04T07:00:00Z', '2026-12-05T00:00:00.000Z'],
  ])('%s in %s after %s runs at %s', (expression, timezone, after, expected) => {
    expect(next(expression, timezone, after)).toBe(expected);
  });

  it.each([
    // GIVEN a schedule that cannot be WHEN compiled THEN the message says why
    ['cron(0 9 30 2 ? *)', 'UTC', 'cron(0 9 30 2 ? *) never runs: no date matches it'],
    ['cron(0 9 31 4 ? *)', 'UTC', 'cron(0 9 31 4 ? *) never runs: no date matches it'],
    ['at(2026-02-30T09:00:00)', 'UTC', 'at(2026-02-30T09:00:00)'],
    ['cron(0 9 * * *)', 'UTC', 'cron() takes six fields (minutes hours day-of-month month day-of-week year), got 5 in "0 9 * * *"'],
    ['cron(0 9 * * MON *)', 'UTC', 'cron(0 9 * * MON *): exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 9 ? * MON 1900)', 'UTC', 'cron(0 9 ? * MON 1900): the year field must be "*", a year from 1970 to 2199, a range, a list or a step, got "1900"'],
    ['cron(0 9 ? * MON *)', 'Mars/Olympus', 'unknown time zone "Mars/Olympus": expected an IANA name such as "UTC" or "Europe/Paris"'],
    ['rate(5 fortnights)', 'UTC', 'rate() takes a positive whole number and minute(s), hour(s) or day(s), e.g. rate(5 minutes), got "5 fortnights"'],
    ['rate(1 minutes)', 'UTC', 'rate(1 minutes): AWS writes "1 minute"'],
    ['every day at nine', 'UTC', 'expected cron(...), at(...) or rate(...), got "every day at nine"'],
  ])('%s in %s is refused', (expression, timezone, message) => {
    const r = compileSchedule(expression, timezone);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(message);
  });
});

describe('lastRunBetween', () => {
  it('gives the last run inside the window, or undefined when there is none', () => {
    // GIVEN every 15 minutes
    const s = compiled('cron(0/15 * * * ? *)');
    // WHEN the window holds 10:15, 10:30 and 10:45 THEN 10:45; a window without a run gives nothing; the start is exclusive
    expect(lastRunBetween(s, at('2026-12-04T10:01:00Z'), at('2026-12-04T10:50:00Z'))).toBe(at('2026-12-04T10:45:00Z'));
    expect(lastRunBetween(s, at('2026-12-04T10:01:00Z'), at('2026-12-04T10:14:59Z'))).toBeUndefined();
    expect(lastRunBetween(s, at('2026-12-04T10:15:00Z'), at('2026-12-04T10:29:00Z'))).toBeUndefined();
    expect(lastRunBetween(compiled('rate(5 minutes)'), at('2026-12-04T10:01:00Z'), at('2026-12-04T10:59:00Z'))).toBe(at('2026-12-04T10:55:00Z'));
  });
});
