import type { CellValue } from './model.js';

/** A point in time produced by `@timestamp`, `bin`, `datefloor` or `fromMillis`. */
export class Timestamp {
  /** @param ms milliseconds since the Unix epoch */
  constructor(readonly ms: number) {}
}

/** A value flowing through the evaluator; `null` is an absent field or an undefined result. */
export type Value = string | number | boolean | null | Timestamp;

/** How timestamps are rendered in result cells. */
export type TimestampFormat = 'text' | 'epochMs';

const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** The number a value stands for: numbers, numeric strings and timestamps; otherwise `null`. */
export function toNumber(value: Value): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return NUMERIC.test(value) ? Number(value) : null;
  if (value instanceof Timestamp) return value.ms;
  return null;
}

/** The text of a value; `null` stays `null`. */
export function toText(value: Value): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Timestamp) return formatTimestamp(value.ms);
  return String(value);
}

/** Whether a value counts as true in a `filter`: true, non-zero numbers, non-empty text, any time. */
export function isTruthy(value: Value): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  return true;
}

/** The time a value stands for: timestamps, numbers (ms) and date strings `Date.parse` accepts. */
export function toTimeMs(value: Value): number | null {
  if (value instanceof Timestamp) return value.ms;
  const n = toNumber(value);
  if (n !== null) return n;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/**
 * Compares two values for `= != < <= > >=`: numerically when both sides are numeric (numeric
 * strings included), by time when one side is a timestamp, otherwise as text. `null` when
 * either side is absent, or when text that is not a number meets a number: such comparisons
 * are false (`!=` included).
 */
export function compareValues(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (a instanceof Timestamp || b instanceof Timestamp) {
    const x = toTimeMs(a);
    const y = toTimeMs(b);
    if (x !== null && y !== null) return x - y;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== null && y !== null) return x - y;
  // Text that is not a number does not compare with a number: `"after" >= 404` is false.
  if (typeof a === 'number' || typeof b === 'number') return null;
  const s = toText(a) ?? '';
  const t = toText(b) ?? '';
  return s < t ? -1 : s > t ? 1 : 0;
}

/**
 * The ascending order of `sort`: text before numbers (as AWS), numbers numerically, text by
 * code unit, absent values last whatever the direction is (callers keep them last).
 */
export function sortOrder(a: Value, b: Value): number {
  const x = a instanceof Timestamp ? a.ms : toNumber(a);
  const y = b instanceof Timestamp ? b.ms : toNumber(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return 1;
  if (y !== null) return -1;
  const s = toText(a) ?? '';
  const t = toText(b) ?? '';
  return s < t ? -1 : s > t ? 1 : 0;
}

/** A key under which equal values (by {@link compareValues} for numbers) group together. */
export function groupKey(value: Value): string {
  if (value === null) return 'n:';
  if (value instanceof Timestamp) return `t:${value.ms}`;
  const n = toNumber(value);
  if (n !== null) return `#:${n}`;
  return `s:${toText(value) ?? ''}`;
}

/** Renders a time as AWS does in results: `YYYY-MM-DD HH:mm:ss.SSS`, UTC. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** The cell a value becomes in a result row. Booleans become `"true"`/`"false"`. */
export function toCell(value: Value, format: TimestampFormat): CellValue {
  if (value === null) return null;
  if (value instanceof Timestamp) return format === 'epochMs' ? value.ms : formatTimestamp(value.ms);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}

/** The number of UTF-8 bytes of a string, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
