import { parseDuration } from './duration.js';
import { compileSubscription } from './compile-subscription.js';
import { parseDate, parseDateTime, parseTimeOfDay } from './oncall/zoned-time.js';
import type { ResolvedEscalationTarget, ResolvedOncall, ResolvedSchedule } from './resolved-oncall.js';
import type { ParsedAppDefinition } from './schema/app.js';

type OncallDef = NonNullable<ParsedAppDefinition['oncall']>;
type ScheduleDef = NonNullable<OncallDef['schedules']>[string];
type TargetDef = NonNullable<OncallDef['escalationPolicies']>[string]['levels'][number]['targets'][number];

/** The default time before a level escalates: 30 minutes, as PagerDuty's. */
export const DEFAULT_ESCALATE_AFTER = '30m';
/** The default hand-off time of a rotation. */
export const DEFAULT_HANDOFF = '09:00';
/** The default time zone of a schedule. */
export const DEFAULT_SCHEDULE_TIME_ZONE = 'UTC';

/** Compiles a schedule (whose dates and times the schema and `checkOncall` accepted). */
export function compileSchedule(s: ScheduleDef, name: string): ResolvedSchedule {
  const timeZone = s.timeZone ?? DEFAULT_SCHEDULE_TIME_ZONE;
  return {
    name,
    timeZone,
    layers: s.layers.map((l) => ({
      members: [...l.members],
      rotation: l.rotation ?? 'weekly',
      length: l.length ?? 1,
      handoff: parseTimeOfDay(l.handoff ?? DEFAULT_HANDOFF)!,
      start: parseDate(l.start)!,
    })),
    overrides: (s.overrides ?? []).map((o) => ({ user: o.user, startMs: parseDateTime(o.start, timeZone)!, endMs: parseDateTime(o.end, timeZone)! })).sort((a, b) => a.startMs - b.startMs),
  };
}

function compileTarget(t: TargetDef): ResolvedEscalationTarget {
  if ('schedule' in t) return { kind: 'schedule', schedule: t.schedule };
  if ('user' in t) return { kind: 'user', user: t.user };
  return { kind: 'topic', topic: t.topic };
}

/** Compiles the `oncall` block (absent: nobody is paged). */
export function compileOncall(o: OncallDef | undefined): ResolvedOncall {
  const entries = <V, R>(r: Record<string, V> | undefined, f: (v: V, k: string) => R): Record<string, R> => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, f(v, k)]));
  return {
    users: entries(o?.users, (u, name) => (typeof u.contact === 'string' ? { name, topics: [u.contact], subscriptions: [] } : { name, topics: [], subscriptions: u.contact.map(compileSubscription) })),
    schedules: entries(o?.schedules, compileSchedule),
    escalationPolicies: entries(o?.escalationPolicies, (p, name) => ({
      name,
      levels: p.levels.map((l) => ({ targets: l.targets.map(compileTarget), escalateAfterMs: parseDuration(l.escalateAfter ?? DEFAULT_ESCALATE_AFTER) })),
      repeat: p.repeat ?? 0,
    })),
    policyBySeverity: Object.fromEntries(Object.entries(o?.policyBySeverity ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
  };
}
