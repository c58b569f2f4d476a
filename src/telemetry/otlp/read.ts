// Defensive readers over a decoded OTLP message. The same readers serve both
// encodings: protobufjs `toObject` output (bytes as Uint8Array, 64-bit integers
// as decimal strings, enums as numbers) and OTLP/JSON (ids as hex strings,
// 64-bit integers as strings or numbers, enums as numbers). Every field is
// `unknown` until checked, because JSON bodies are untrusted.

/** A decoded message: an object with lowerCamelCase keys. */
export type Obj = Readonly<Record<string, unknown>>;

/** The value as an object, or an empty object. */
export function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as Obj) : {};
}

/** The value as an array of objects (non-objects become empty objects), or `[]`. */
export function objs(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

/** The value when it is a string, else `fallback`. */
export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** The value when it is a boolean, else `false`. */
export function bool(value: unknown): boolean {
  return value === true;
}

const INTEGER = /^-?\d{1,20}$/;

/** An (u)int64 given as a decimal string or an integral number; `undefined` otherwise. */
export function bigint(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  return undefined;
}

/** A 64-bit count as a number (precision may be lost above 2^53); 0 when absent or invalid. */
export function count(value: unknown): number {
  const n = bigint(value);
  return n === undefined || n < 0n ? 0 : Number(n);
}

/** A double: a number, or the proto3 JSON strings `NaN`, `Infinity`, `-Infinity` or a numeric string. */
export function double(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) && value !== 'NaN' ? undefined : n;
  }
  return undefined;
}

/** An int32 (enum, scale, offset): an integral number or decimal string; `fallback` otherwise. */
export function int(value: unknown, fallback = 0): number {
  const n = bigint(value);
  return n === undefined || n > 2_147_483_647n || n < -2_147_483_648n ? fallback : Number(n);
}

/** Unix nanoseconds (fixed64) as a bigint; 0n when absent; `undefined` when present but invalid. */
export function nanos(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return 0n;
  const n = bigint(value);
  return n === undefined || n < 0n ? undefined : n;
}

/** Unix nanoseconds to fractional milliseconds, keeping microsecond precision. */
export function nanosToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A trace or span id as lowercase hex: from bytes (protobuf) or from a hex
 * string (OTLP/JSON, case-insensitive). Empty string when absent; `undefined`
 * when present but not hex. Length and zero checks are the caller's.
 */
export function id(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value === 'string' && HEX.test(value) && value.length % 2 === 0) return value.toLowerCase();
  return undefined;
}
