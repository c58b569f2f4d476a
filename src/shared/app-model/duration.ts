import { InputError } from '../errors/index.js';

/**
 * A span of time as users write it: a number and a unit (`ms`, `s`, `m`, `h`, `d`),
 * possibly several in a row (`"1m30s"`).
 * @example '500ms' | '30s' | '5m' | '1h' | '2d' | '1h30m'
 */
export type Duration = string;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** The message for text that is not a duration, e.g. `expected a duration such as "30s" or "5m", got "10 sec"`. */
export function durationMessage(input: unknown): string {
  return `expected a duration such as "30s" or "5m", got ${JSON.stringify(input) ?? String(input)}`;
}

/**
 * Parses a duration such as `"30s"` into milliseconds (rounded to a whole millisecond),
 * or returns `undefined` when the text is not a duration.
 */
export function tryParseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let totalMs = 0;
  for (const match of text.matchAll(PART)) {
    totalMs += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  return Math.round(totalMs);
}

/**
 * Parses a duration such as `"30s"`, `"5m"` or `"1h30m"` into milliseconds.
 * @throws {InputError} `SLW_ERR_CONFIG_DURATION` with {@link durationMessage} when the text is not a duration.
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new InputError('SLW_ERR_CONFIG_DURATION', durationMessage(text));
  return ms;
}

/**
 * Formats milliseconds as the shortest exact duration text, largest unit first:
 * `90000` → `"1m30s"`, `500` → `"500ms"`, `0` → `"0ms"`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`expected a non-negative number of milliseconds, got ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return '0ms';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * UNIT_MS[unit];
    }
  }
  return out;
}
