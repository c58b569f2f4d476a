/** A unit of a duration literal such as `5m`: fixed units and calendar units (`mo`, `q`, `y`). */
export type TimeUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'q' | 'y';

const UNIT_NAMES: ReadonlyMap<string, TimeUnit> = new Map(Object.entries({
  ms: 'ms', msec: 'ms', millisecond: 'ms',
  s: 's', sec: 's', second: 's',
  m: 'm', min: 'm', minute: 'm',
  h: 'h', hr: 'h', hour: 'h',
  d: 'd', day: 'd',
  w: 'w', week: 'w',
  mo: 'mo', mon: 'mo', month: 'mo',
  q: 'q', qtr: 'q', quarter: 'q',
  y: 'y', yr: 'y', year: 'y',
} satisfies Record<string, TimeUnit>));

const FIXED_MS: Readonly<Partial<Record<TimeUnit, number>>> = {
  ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
};

const CALENDAR_MONTHS: Readonly<Partial<Record<TimeUnit, number>>> = { mo: 1, q: 3, y: 12 };

/**
 * The unit named by a duration suffix, case-insensitive; units of more than one letter
 * also take a plural `s` (`hrs`, `mins`, `days`). `undefined` for an unknown unit.
 */
export function parseTimeUnit(text: string): TimeUnit | undefined {
  const lower = text.toLowerCase();
  const exact = UNIT_NAMES.get(lower);
  if (exact !== undefined) return exact;
  if (lower.length > 2 && lower.endsWith('s')) {
    const singular = lower.slice(0, -1);
    if (singular.length > 1) return UNIT_NAMES.get(singular);
  }
  return undefined;
}

/** The length of a fixed duration in ms; `null` for calendar units, whose length varies. */
export function durationMs(amount: number, unit: TimeUnit): number | null {
  const ms = FIXED_MS[unit];
  return ms === undefined ? null : amount * ms;
}

/**
 * Rounds a time down to a multiple of a period: fixed periods count from the Unix epoch,
 * calendar periods (months, quarters, years) from January 1970, all in UTC.
 */
export function floorTime(timeMs: number, amount: number, unit: TimeUnit): number {
  const fixed = durationMs(amount, unit);
  if (fixed !== null) return fixed <= 0 ? timeMs : Math.floor(timeMs / fixed) * fixed;
  const months = (CALENDAR_MONTHS[unit] ?? 1) * amount;
  if (months <= 0) return timeMs;
  const date = new Date(timeMs);
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
  const floored = Math.floor(index / months) * months;
  return Date.UTC(1970 + Math.floor(floored / 12), ((floored % 12) + 12) % 12, 1);
}

/** Rounds a time up to a multiple of a period (see {@link floorTime}). */
export function ceilTime(timeMs: number, amount: number, unit: TimeUnit): number {
  const floor = floorTime(timeMs, amount, unit);
  if (floor === timeMs) return timeMs;
  const fixed = durationMs(amount, unit);
  if (fixed !== null) return floor + fixed;
  const months = (CALENDAR_MONTHS[unit] ?? 1) * amount;
  const date = new Date(floor);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
}
