import { Cron } from 'croner';
import { isTimeZone } from './oncall/zoned-time.js';

/**
 * A scheduled action's schedule, compiled: Application Auto Scaling's `cron(...)`, `at(...)` or
 * `rate(...)` in a time zone, with the function that finds its runs.
 */
export interface CompiledSchedule {
  readonly kind: 'cron' | 'at' | 'rate';
  /** The expression as written, e.g. `cron(0 9 ? * MON-FRI *)`. */
  readonly expression: string;
  /** IANA time zone the expression is read in. */
  readonly timezone: string;
  /** The first run strictly after `afterMs`, ms since the epoch; undefined when there is none. */
  nextRunAfter(afterMs: number): number | undefined;
}

/** The result of {@link compileSchedule}: the schedule, or what is wrong with it. */
export type ScheduleParse = { readonly ok: true; readonly schedule: CompiledSchedule } | { readonly ok: false; readonly message: string };

const RATE_UNITS: Readonly<Record<string, number>> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
// Application Auto Scaling's years; croner searches them too, so the search for a run is bounded.
const YEAR = /^(?:\*|(19[7-9]\d|2[01]\d\d)(?:-(19[7-9]\d|2[01]\d\d))?(?:\/\d+)?(?:,(19[7-9]\d|2[01]\d\d)(?:-(19[7-9]\d|2[01]\d\d))?)*)$/;
// Where the search for a first run starts: a schedule that matches no time since then never runs.
const EPOCH_MS = Date.UTC(1970, 0, 1);

/**
 * Compiles a scheduled action's schedule as Application Auto Scaling reads it:
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields, `?` in one of
 *   day-of-month and day-of-week, days of the week 1–7 = SUN–SAT (or `MON-FRI`), `L`, `W` and `#`;
 * - `at(yyyy-mm-ddThh:mm:ss)`: once, at that local time;
 * - `rate(N minutes|hours|days)`: every N units, counted from midnight UTC of 1 January 1970.
 * A cron or `at` that matches no time (`cron(0 9 30 2 ? *)`, 30 February) is refused: it would never run.
 */
export function compileSchedule(expression: string, timezone: string): ScheduleParse {
  if (!isTimeZone(timezone)) return { ok: false, message: `unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as "UTC" or "Europe/Paris"` };
  const m = /^(cron|at|rate)\((.*)\)$/s.exec(expression.trim());
  if (m === null) return { ok: false, message: `expected cron(...), at(...) or rate(...), got ${JSON.stringify(expression)}` };
  const kind = m[1] as CompiledSchedule['kind'];
  const body = m[2]!.trim();
  if (kind === 'rate') return compileRate(expression, timezone, body);
  let cron: Cron;
  if (kind === 'at') {
    const d = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
    if (d === null) return { ok: false, message: `at() takes a local time yyyy-mm-ddThh:mm:ss, got ${JSON.stringify(body)}` };
    const [y, mo, day, h, mi, sec] = d.slice(1).map(Number) as [number, number, number, number, number, number];
    const check = new Date(Date.UTC(y, mo - 1, day, h, mi, sec));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== day || h > 23 || mi > 59 || sec > 59) return { ok: false, message: `at(${body}) never runs: there is no such date or time` };
    try {
      cron = new Cron(body, { paused: true, timezone });
    } catch (err) {
      return { ok: false, message: `at(${body}): ${(err as Error).message}` };
    }
  } else {
    const fields = body.split(/\s+/);
    if (fields.length !== 6) return { ok: false, message: `cron() takes six fields (minutes hours day-of-month month day-of-week year), got ${fields.length} in ${JSON.stringify(body)}` };
    const [, , dom, , dow, year] = fields as [string, string, string, string, string, string];
    if ((dom === '?') === (dow === '?')) return { ok: false, message: `cron(${body}): exactly one of day-of-month and day-of-week must be "?"` };
    if (!YEAR.test(year)) return { ok: false, message: `cron(${body}): the year field must be "*", a year from 1970 to 2199, a range, a list or a step, got ${JSON.stringify(year)}` };
    // croner reads seven fields (seconds first), "*" for "any" and, with alternativeWeekdays, 1–7 = SUN–SAT as AWS does.
    const pattern = ['0', ...fields.map((f) => (f === '?' ? '*' : f))].join(' ');
    try {
      cron = new Cron(pattern, { paused: true, timezone, mode: '7-part', alternativeWeekdays: true, domAndDow: true, sloppyRanges: true });
    } catch (err) {
      return { ok: false, message: `cron(${body}): ${(err as Error).message.replace(/^CronPattern: /, '')}` };
    }
  }
  const nextRunAfter = (afterMs: number): number | undefined => cron.nextRun(new Date(afterMs))?.getTime() ?? undefined;
  if (nextRunAfter(EPOCH_MS - 1) === undefined) return { ok: false, message: `${expression} never runs: no date matches it` };
  return { ok: true, schedule: { kind, expression, timezone, nextRunAfter } };
}

function compileRate(expression: string, timezone: string, body: string): ScheduleParse {
  const r = /^(\d+)\s+([a-z]+)$/.exec(body);
  const unitMs = r === null ? undefined : RATE_UNITS[r[2]!];
  const value = r === null ? 0 : Number(r[1]);
  if (unitMs === undefined || value < 1) return { ok: false, message: `rate() takes a positive whole number and minute(s), hour(s) or day(s), e.g. rate(5 minutes), got ${JSON.stringify(body)}` };
  const singular = r![2]!.replace(/s$/, '');
  if ((value === 1) !== (r![2] === singular)) return { ok: false, message: `rate(${body}): AWS writes ${value === 1 ? `"1 ${singular}"` : `"${value} ${singular}s"`}` };
  const periodMs = value * unitMs;
  return { ok: true, schedule: { kind: 'rate', expression, timezone, nextRunAfter: (afterMs) => (Math.floor((afterMs - EPOCH_MS) / periodMs) + 1) * periodMs + EPOCH_MS } };
}

/** The last run in `(afterMs, untilMs]`, or undefined when the schedule did not run then. */
export function lastRunBetween(schedule: CompiledSchedule, afterMs: number, untilMs: number): number | undefined {
  let next = schedule.nextRunAfter(afterMs);
  if (next === undefined || next > untilMs) return undefined;
  // Only the last run in the window matters (each run sets the same bounds); rate() jumps straight to it.
  if (schedule.kind === 'rate') {
    const period = schedule.nextRunAfter(next)! - next;
    return next + Math.floor((untilMs - next) / period) * period;
  }
  for (let i = 0; i < 10_000; i++) {
    const after = schedule.nextRunAfter(next);
    if (after === undefined || after > untilMs) return next;
    next = after;
  }
  return next;
}
