import { describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import type { Issue } from '../errors/index.js';
import { validateApp } from './validate-app.js';

// Loosely typed access, so that cases can write what a user might (typos, wrong types).
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid definition with a complete `oncall` block the cases break one thing of. */
function withOncall(): Loose {
  const d = validDefinition() as Loose;
  d.oncall = {
    users: { alice: { contact: 'oncall' }, bob: { contact: [{ type: 'webhook', url: 'http://127.0.0.1:9001/bob' }] }, carol: { contact: 'oncall' } },
    schedules: {
      primary: {
        timeZone: 'Europe/Berlin',
        layers: [{ members: ['alice', 'bob'], rotation: 'weekly', handoff: '09:00', start: '2026-01-05' }],
        overrides: [
          { user: 'carol', start: '2026-03-01T09:00', end: '2026-03-02T09:00' },
          { user: 'bob', start: '2026-03-02T09:00', end: '2026-03-03T09:00' },
        ],
      },
    },
    escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '10m' }, { targets: [{ user: 'carol' }, { topic: 'oncall' }] }], repeat: 1 } },
    policyBySeverity: { SEV1: 'standard', SEV2: 'standard' },
  };
  return d;
}

interface Case {
  readonly name: string;
  readonly change: (o: Loose) => void;
  readonly issues: Issue[];
}

const P = 'oncall.escalationPolicies.standard';
const S = 'oncall.schedules.primary';

const cases: Case[] = [
  {
    name: 'a contact that is neither a topic nor a list of subscriptions',
    change: (o) => (o.users.alice.contact = [{ topic: 'oncall' }]),
    issues: [{ path: 'oncall.users.alice.contact', message: `expected a topic name or a list of subscriptions such as [{ type: 'webhook', url: 'https://…' }], got [{"topic":"oncall"}]` }],
  },
  { name: 'an escalation policy with no levels', change: (o) => (o.escalationPolicies.standard.levels = []), issues: [{ path: `${P}.levels`, message: 'an escalation policy needs at least one level' }] },
  { name: 'a level with no targets', change: (o) => (o.escalationPolicies.standard.levels[1].targets = []), issues: [{ path: `${P}.levels[1].targets`, message: 'a level needs at least one target' }] },
  { name: 'a target that is none of schedule, user, topic', change: (o) => (o.escalationPolicies.standard.levels[0].targets = [{ team: 'sre' }]), issues: [{ path: `${P}.levels[0].targets[0]`, message: 'expected a target with one of "schedule", "user", "topic", e.g. { schedule: "primary" }' }] },
  { name: 'a rotation with no members', change: (o) => (o.schedules.primary.layers[0].members = []), issues: [{ path: `${S}.layers[0].members`, message: 'a rotation needs at least one member' }] },
  { name: 'a hand-off time that does not parse', change: (o) => (o.schedules.primary.layers[0].handoff = '9am'), issues: [{ path: `${S}.layers[0].handoff`, message: 'expected a hand-off time HH:MM on a 24-hour clock (e.g. "09:00"), got "9am"' }] },
  { name: 'a hand-off time past midnight', change: (o) => (o.schedules.primary.layers[0].handoff = '24:00'), issues: [{ path: `${S}.layers[0].handoff`, message: 'expected a hand-off time HH:MM on a 24-hour clock (e.g. "09:00"), got "24:00"' }] },
  { name: 'an unknown time zone', change: (o) => (o.schedules.primary.timeZone = 'Europe/Berln'), issues: [{ path: `${S}.timeZone`, message: 'unknown time zone "Europe/Berln": use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"' }] },
  { name: 'a start date that is not a real date', change: (o) => (o.schedules.primary.layers[0].start = '2026-02-30'), issues: [{ path: `${S}.layers[0].start`, message: 'expected a date YYYY-MM-DD (e.g. "2026-01-05"), got "2026-02-30"' }] },
  { name: 'an unknown rotation type', change: (o) => (o.schedules.primary.layers[0].rotation = 'monthly'), issues: [{ path: `${S}.layers[0].rotation`, message: 'expected a rotation of "hourly", "daily", "weekly", got "monthly"' }] },
  { name: 'a schedule with no layers', change: (o) => (o.schedules.primary.layers = []), issues: [{ path: `${S}.layers`, message: 'a schedule needs at least one rotation layer' }] },
  {
    name: 'overrides that overlap each other',
    change: (o) => (o.schedules.primary.overrides[1].start = '2026-03-02T08:00'),
    issues: [{ path: `${S}.overrides[1]`, message: 'overlaps override [0] (carol, 2026-03-01T08:00Z to 2026-03-02T08:00Z): overrides of a schedule must not overlap' }],
  },
  { name: 'an override that ends before it starts', change: (o) => (o.schedules.primary.overrides[0].end = '2026-03-01T08:00'), issues: [{ path: `${S}.overrides[0].end`, message: 'an override must end after it starts: 2026-03-01T08:00 is not after 2026-03-01T09:00' }] },
  { name: 'an override time that does not parse', change: (o) => (o.schedules.primary.overrides[0].start = 'tomorrow'), issues: [{ path: `${S}.overrides[0].start`, message: 'expected a date and time YYYY-MM-DDTHH:MM, optionally with Z or ±HH:MM (e.g. "2026-03-01T09:00"), got "tomorrow"' }] },
  { name: 'an override on a day that does not exist', change: (o) => (o.schedules.primary.overrides[0].end = '2026-02-31T09:00'), issues: [{ path: `${S}.overrides[0].end`, message: '"2026-02-31T09:00" is not a real date and time' }] },
  { name: 'a member who is not a user', change: (o) => (o.schedules.primary.layers[0].members[1] = 'bobb'), issues: [{ path: `${S}.layers[0].members[1]`, message: 'no on-call user named "bobb" (did you mean "bob"?)' }] },
  { name: 'an override by someone unknown', change: (o) => (o.schedules.primary.overrides[0].user = 'dave'), issues: [{ path: `${S}.overrides[0].user`, message: 'no on-call user named "dave"' }] },
  { name: 'a level naming an unknown schedule', change: (o) => (o.escalationPolicies.standard.levels[0].targets[0] = { schedule: 'primry' }), issues: [{ path: `${P}.levels[0].targets[0].schedule`, message: 'no schedule named "primry" (did you mean "primary"?)' }] },
  { name: 'a level naming an unknown topic', change: (o) => (o.escalationPolicies.standard.levels[1].targets[1] = { topic: 'pager' }), issues: [{ path: `${P}.levels[1].targets[1].topic`, message: 'no notification topic named "pager"' }] },
  { name: 'a contact topic that does not exist', change: (o) => (o.users.alice.contact = 'alice-pager'), issues: [{ path: 'oncall.users.alice.contact', message: 'no notification topic named "alice-pager"' }] },
  { name: 'a severity mapped to an unknown policy', change: (o) => (o.policyBySeverity.SEV3 = 'standrd'), issues: [{ path: 'oncall.policyBySeverity.SEV3', message: 'no escalation policy named "standrd" (did you mean "standard"?)' }] },
  { name: 'a severity that does not exist', change: (o) => (o.policyBySeverity.SEV5 = 'standard'), issues: [{ path: 'oncall.policyBySeverity.SEV5', message: 'unknown key "SEV5" (did you mean "SEV1"?)' }] },
  { name: 'a repeat beyond nine loops', change: (o) => (o.escalationPolicies.standard.repeat = 10), issues: [{ path: `${P}.repeat`, message: 'must be at most 9, got 10' }] },
  { name: 'an escalation delay that is not a duration', change: (o) => (o.escalationPolicies.standard.levels[0].escalateAfter = 10), issues: [{ path: `${P}.levels[0].escalateAfter`, message: 'expected a duration such as "30s" or "5m", got 10' }] },
];

describe('validateApp checks the oncall block', () => {
  it('accepts the base on-call definition and compiles it', () => {
    // GIVEN the valid on-call block WHEN it is validated
    const result = validateApp(withOncall());
    // THEN it passes, with overrides as instants in the schedule's zone (Berlin is UTC+1 in March) and defaults filled in
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const oncall = result.app.oncall!;
    expect(oncall.schedules.primary!.overrides[0]).toEqual({ user: 'carol', startMs: Date.UTC(2026, 2, 1, 8), endMs: Date.UTC(2026, 2, 2, 8) });
    expect(oncall.escalationPolicies.standard!.levels.map((l) => l.escalateAfterMs)).toEqual([600_000, 1_800_000]);
    expect(oncall.users.bob).toMatchObject({ topics: [], subscriptions: [{ type: 'webhook', url: 'http://127.0.0.1:9001/bob' }] });
    expect(oncall.users.alice).toMatchObject({ topics: ['oncall'], subscriptions: [] });
    expect(oncall.policyBySeverity).toEqual({ SEV1: 'standard', SEV2: 'standard' });
  });

  it.each(cases)('$name', ({ change, issues }) => {
    // GIVEN a valid on-call block with one thing broken
    const d = withOncall();
    change(d.oncall as Loose);
    // WHEN it is validated
    const result = validateApp(d);
    // THEN exactly the expected problems are reported, with their paths
    expect(result).toEqual({ ok: false, issues });
  });
});
