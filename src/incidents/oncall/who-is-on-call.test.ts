import { describe, expect, it } from 'vitest';
import type { ResolvedRotationLayer, ResolvedSchedule } from '../../shared/index.js';
import { turnAt, whoIsOnCall } from './who-is-on-call.js';

const at = (iso: string): number => Date.parse(iso);

function layer(fields: Partial<Omit<ResolvedRotationLayer, 'start'>> & { start: string }): ResolvedRotationLayer {
  const [year, month, day] = fields.start.split('-').map(Number) as [number, number, number];
  return { members: ['alice', 'bob'], rotation: 'weekly', length: 1, handoff: { hour: 9, minute: 0 }, ...fields, start: { year, month, day } };
}

function schedule(layers: ResolvedRotationLayer[], fields: Partial<ResolvedSchedule> = {}): ResolvedSchedule {
  return { name: 'primary', timeZone: 'Europe/Berlin', layers, overrides: [], ...fields };
}

describe('turnAt', () => {
  const cases: { name: string; layer: ResolvedRotationLayer; timeZone: string; atIso: string; user: string | undefined; startIso?: string; endIso?: string }[] = [
    // GIVEN a weekly rotation handing off Mondays 09:00 in Berlin (CET, UTC+1 in January)
    { name: 'the first turn starts at the first hand-off', layer: layer({ start: '2026-01-05' }), timeZone: 'Europe/Berlin', atIso: '2026-01-05T08:00:00Z', user: 'alice', startIso: '2026-01-05T08:00:00.000Z', endIso: '2026-01-12T08:00:00.000Z' },
    { name: 'nobody before the first hand-off', layer: layer({ start: '2026-01-05' }), timeZone: 'Europe/Berlin', atIso: '2026-01-05T07:59:00Z', user: undefined },
    { name: 'a minute before the hand-off the turn is still the old one', layer: layer({ start: '2026-01-05' }), timeZone: 'Europe/Berlin', atIso: '2026-01-12T07:59:00Z', user: 'alice' },
    { name: 'the next member at the hand-off', layer: layer({ start: '2026-01-05' }), timeZone: 'Europe/Berlin', atIso: '2026-01-12T08:00:00Z', user: 'bob' },
    { name: 'members take turns in order, round and round', layer: layer({ start: '2026-01-05' }), timeZone: 'Europe/Berlin', atIso: '2026-01-21T12:00:00Z', user: 'alice' },
    // GIVEN a daily rotation of three across the spring DST change (Berlin skips 02:00–03:00 on 2026-03-29)
    {
      name: 'a daily hand-off stays at 09:00 wall time after clocks go forward (07:00Z, not 08:00Z)',
      layer: layer({ start: '2026-03-27', rotation: 'daily', members: ['a', 'b', 'c'] }),
      timeZone: 'Europe/Berlin',
      atIso: '2026-03-29T07:30:00Z',
      user: 'c',
      startIso: '2026-03-29T07:00:00.000Z',
      endIso: '2026-03-30T07:00:00.000Z',
    },
    {
      name: 'the turn across the change is 23 hours long',
      layer: layer({ start: '2026-03-27', rotation: 'daily', members: ['a', 'b', 'c'] }),
      timeZone: 'Europe/Berlin',
      atIso: '2026-03-29T06:59:00Z',
      user: 'b',
      startIso: '2026-03-28T08:00:00.000Z',
      endIso: '2026-03-29T07:00:00.000Z',
    },
    {
      name: 'a hand-off in the skipped hour moves forward by the gap (02:30 → 03:30 summer time)',
      layer: layer({ start: '2026-03-28', rotation: 'daily', handoff: { hour: 2, minute: 30 } }),
      timeZone: 'Europe/Berlin',
      atIso: '2026-03-29T01:30:00Z',
      user: 'bob',
      startIso: '2026-03-29T01:30:00.000Z',
    },
    {
      name: 'a hand-off in the repeated hour is its first occurrence (02:30 summer time)',
      layer: layer({ start: '2026-10-24', rotation: 'daily', handoff: { hour: 2, minute: 30 } }),
      timeZone: 'Europe/Berlin',
      atIso: '2026-10-25T00:30:00Z',
      user: 'bob',
      startIso: '2026-10-25T00:30:00.000Z',
      endIso: '2026-10-26T01:30:00.000Z',
    },
    {
      name: 'weekly hand-offs in New York follow its own DST date (UTC-5, then UTC-4 from 2026-03-08)',
      layer: layer({ start: '2026-03-02' }),
      timeZone: 'America/New_York',
      atIso: '2026-03-09T13:00:00Z',
      user: 'bob',
      startIso: '2026-03-09T13:00:00.000Z',
    },
    {
      // Midnight CET is 23:00Z; 8 elapsed hours later is 07:00Z, which reads 09:00 on the summer-time clock.
      name: 'hourly turns are elapsed hours across the change',
      layer: layer({ start: '2026-03-29', rotation: 'hourly', length: 8, handoff: { hour: 0, minute: 0 } }),
      timeZone: 'Europe/Berlin',
      atIso: '2026-03-29T07:00:00Z',
      user: 'bob',
      startIso: '2026-03-29T07:00:00.000Z',
      endIso: '2026-03-29T15:00:00.000Z',
    },
    { name: 'two-week turns', layer: layer({ start: '2026-01-05', length: 2 }), timeZone: 'UTC', atIso: '2026-01-18T12:00:00Z', user: 'alice', endIso: '2026-01-19T09:00:00.000Z' },
  ];

  it.each(cases)('$name', ({ layer: l, timeZone, atIso, user, startIso, endIso }) => {
    // WHEN asked for the turn at the instant
    const turn = turnAt(l, timeZone, at(atIso));
    // THEN the member and the turn's bounds are those of wall-clock hand-offs
    expect(turn?.user).toBe(user);
    if (startIso !== undefined) expect(new Date(turn!.startMs).toISOString()).toBe(startIso);
    if (endIso !== undefined) expect(new Date(turn!.endMs).toISOString()).toBe(endIso);
  });
});

describe('whoIsOnCall', () => {
  it('an override wins over the rotation, for its span only', () => {
    // GIVEN alice's week, and carol overriding one day of it
    const s = schedule([layer({ start: '2026-01-05' })], { overrides: [{ user: 'carol', startMs: at('2026-01-06T08:00:00Z'), endMs: at('2026-01-07T08:00:00Z') }] });
    // WHEN asked during the override, and right after it
    const during = whoIsOnCall(s, at('2026-01-06T12:00:00Z'));
    const after = whoIsOnCall(s, at('2026-01-07T08:00:00Z'));
    // THEN carol is on call until the override ends, then alice again until the hand-off
    expect(during).toEqual({ schedule: 'primary', user: 'carol', source: 'override', sinceMs: at('2026-01-06T08:00:00Z'), untilMs: at('2026-01-07T08:00:00Z') });
    expect(after).toMatchObject({ user: 'alice', source: 'layer', layer: 0, untilMs: at('2026-01-12T08:00:00Z') });
  });

  it("the answer before an override ends at the override's start", () => {
    // GIVEN an override later in alice's week
    const s = schedule([layer({ start: '2026-01-05' })], { overrides: [{ user: 'carol', startMs: at('2026-01-08T08:00:00Z'), endMs: at('2026-01-09T08:00:00Z') }] });
    // WHEN asked before it THEN alice is on call until the override starts
    expect(whoIsOnCall(s, at('2026-01-06T00:00:00Z'))).toMatchObject({ user: 'alice', untilMs: at('2026-01-08T08:00:00Z') });
  });

  it('the last layer that has started wins; before it starts, the lower one answers until then', () => {
    // GIVEN a base weekly layer and a higher daily layer starting a week later
    const s = schedule([layer({ start: '2026-01-05' }), layer({ start: '2026-01-12', rotation: 'daily', members: ['dave', 'erin'] })]);
    // WHEN asked before and after the higher layer starts
    // THEN the base layer answers first (until the higher layer's start), the higher layer after
    expect(whoIsOnCall(s, at('2026-01-10T00:00:00Z'))).toMatchObject({ user: 'alice', layer: 0, untilMs: at('2026-01-12T08:00:00Z') });
    expect(whoIsOnCall(s, at('2026-01-13T10:00:00Z'))).toMatchObject({ user: 'erin', layer: 1 });
  });

  it('nobody is on call before every layer starts, until the first one does', () => {
    // GIVEN a schedule starting next week WHEN asked now THEN nobody, until the start
    const s = schedule([layer({ start: '2026-01-05' })]);
    expect(whoIsOnCall(s, at('2026-01-01T00:00:00Z'))).toEqual({ schedule: 'primary', user: undefined, source: 'none', untilMs: at('2026-01-05T08:00:00Z') });
  });
});
