import type { Issue } from '../errors/index.js';
import { noSuchMessage } from './names.js';
import { isTimeZone, parseDateTime } from './oncall/zoned-time.js';
import type { ParsedAppDefinition } from './schema/app.js';

/**
 * Checks the `oncall` block: the users, schedules, topics and policies it names exist, overrides
 * name real instants in their schedule's time zone, end after they start and do not overlap.
 */
export function checkOncall(app: ParsedAppDefinition, issues: Issue[]): void {
  const o = app.oncall;
  if (o === undefined) return;
  const users = Object.keys(o.users ?? {});
  const schedules = Object.keys(o.schedules ?? {});
  const policies = Object.keys(o.escalationPolicies ?? {});
  const topics = Object.keys(app.notifications ?? {});
  const user = (name: string, path: string): void => {
    if (!users.includes(name)) issues.push({ path, message: noSuchMessage('on-call user', name, users) });
  };
  for (const [name, u] of Object.entries(o.users ?? {})) {
    if (typeof u.contact === 'string' && !topics.includes(u.contact)) issues.push({ path: `oncall.users.${name}.contact`, message: noSuchMessage('notification topic', u.contact, topics) });
  }
  for (const [name, s] of Object.entries(o.schedules ?? {})) {
    const at = `oncall.schedules.${name}`;
    s.layers.forEach((l, i) => l.members.forEach((m, j) => user(m, `${at}.layers[${i}].members[${j}]`)));
    // The schema reports an unknown zone; the instants then have no zone to be read in.
    const timeZone = s.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) continue;
    const spans: { index: number; user: string; startMs: number; endMs: number }[] = [];
    (s.overrides ?? []).forEach((ov, i) => {
      const here = `${at}.overrides[${i}]`;
      user(ov.user, `${here}.user`);
      const startMs = parseDateTime(ov.start, timeZone);
      const endMs = parseDateTime(ov.end, timeZone);
      if (startMs === undefined) issues.push({ path: `${here}.start`, message: `${JSON.stringify(ov.start)} is not a real date and time` });
      if (endMs === undefined) issues.push({ path: `${here}.end`, message: `${JSON.stringify(ov.end)} is not a real date and time` });
      if (startMs === undefined || endMs === undefined) return;
      if (endMs <= startMs) issues.push({ path: `${here}.end`, message: `an override must end after it starts: ${ov.end} is not after ${ov.start}` });
      else spans.push({ index: i, user: ov.user, startMs, endMs });
    });
    spans.sort((a, b) => a.startMs - b.startMs || a.index - b.index);
    for (let k = 1; k < spans.length; k++) {
      const [a, b] = [spans[k - 1]!, spans[k]!];
      if (b.startMs < a.endMs) {
        const [first, second] = a.index < b.index ? [a, b] : [b, a];
        issues.push({ path: `${at}.overrides[${second.index}]`, message: `overlaps override [${first.index}] (${first.user}, ${iso(first.startMs)} to ${iso(first.endMs)}): overrides of a schedule must not overlap` });
      }
    }
  }
  for (const [name, p] of Object.entries(o.escalationPolicies ?? {})) {
    p.levels.forEach((l, i) =>
      l.targets.forEach((t, j) => {
        const here = `oncall.escalationPolicies.${name}.levels[${i}].targets[${j}]`;
        if ('schedule' in t && !schedules.includes(t.schedule)) issues.push({ path: `${here}.schedule`, message: noSuchMessage('schedule', t.schedule, schedules) });
        if ('user' in t) user(t.user, `${here}.user`);
        if ('topic' in t && !topics.includes(t.topic)) issues.push({ path: `${here}.topic`, message: noSuchMessage('notification topic', t.topic, topics) });
      }),
    );
  }
  for (const [severity, policy] of Object.entries(o.policyBySeverity ?? {})) {
    if (policy !== undefined && !policies.includes(policy)) issues.push({ path: `oncall.policyBySeverity.${severity}`, message: noSuchMessage('escalation policy', policy, policies) });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}
