// Wall-clock time in an IANA time zone, with Intl only (no Temporal, no tz database of our own).

/** A date and time on a wall clock, without a zone. `month` is 1–12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a time zone this runtime knows (`UTC`, `Europe/Berlin`, ...). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time in `timeZone` at the instant `ms` (to the minute). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The wall time read as if it were UTC, in ms: the arithmetic form of a wall time. */
export function wallMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

/** The zone's offset from UTC at instant `ms`, in ms (positive east of Greenwich). */
export function offsetAt(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / 60_000) * 60_000;
  return wallMs(wallTimeAt(floored, timeZone)) - floored;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall time names in `timeZone`, disambiguated like Temporal's `compatible`: a time
 * that happens twice (the hour repeated when clocks go back) is its first occurrence; a time that
 * does not happen (the hour skipped when clocks go forward) moves forward by the gap, so
 * 02:30 on the night Berlin skips 02:00–03:00 is 03:30 summer time.
 */
export function instantOf(w: WallTime, timeZone: string): number {
  const local = wallMs(w);
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const candidates = [local - before, local - after].filter((c) => c + offsetAt(c, timeZone) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before;
}

/** Adds `days` calendar days to a wall time's date (same time of day). */
export function addDays(w: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whole calendar days from the date of `a` to the date of `b` (negative when `b` is earlier). */
export function daysBetween(a: WallTime, b: WallTime): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/;

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Parses a calendar date `YYYY-MM-DD` (a real one: no February 30th). */
export function parseDate(text: string): { readonly year: number; readonly month: number; readonly day: number } | undefined {
  const m = DATE.exec(text);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return realDate(year, month, day) ? { year, month, day } : undefined;
}

/** Parses a 24-hour time of day `HH:MM` (`09:00`, `23:30`). */
export function parseTimeOfDay(text: string): { readonly hour: number; readonly minute: number } | undefined {
  const m = TIME.exec(text);
  return m === null ? undefined : { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * Parses `YYYY-MM-DDTHH:MM[:SS]` with an optional `Z` or `±HH:MM`: with one, an instant; without,
 * a wall time in `timeZone`. Returns ms since the epoch.
 */
export function parseDateTime(text: string, timeZone: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (!realDate(year, month, day)) return undefined;
  const zone = m[7];
  if (zone === undefined) return instantOf({ year, month, day, hour, minute }, timeZone) + second * 1000;
  const offsetMs = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs;
}
