import type { AttrValue, Attributes } from '../model/index.js';
import { bigint, double, obj, objs, str, type Obj } from './read.js';

// Deeper values are cut (to null) rather than recursed into: a hostile body
// must not be able to exhaust the stack.
const MAX_DEPTH = 16;

/** Flattens an OTLP `AnyValue` into a JSON-compatible {@link AttrValue}. */
export function anyValue(value: unknown, depth = 0): AttrValue {
  const v = obj(value);
  if (depth > MAX_DEPTH) return null;
  if ('stringValue' in v) return str(v.stringValue);
  if ('boolValue' in v) return v.boolValue === true;
  if ('intValue' in v) {
    const n = bigint(v.intValue);
    if (n === undefined) return null;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }
  if ('doubleValue' in v) {
    const d = double(v.doubleValue);
    // JSON has no NaN or Infinity: keep them readable as strings.
    return d === undefined ? null : Number.isFinite(d) ? d : String(d);
  }
  if ('arrayValue' in v) return objs(obj(v.arrayValue).values).map((item) => anyValue(item, depth + 1));
  if ('kvlistValue' in v) return keyValues(obj(v.kvlistValue).values, depth + 1);
  if ('bytesValue' in v) {
    const b = v.bytesValue;
    return b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') : str(b);
  }
  return null;
}

/** Flattens a list of OTLP `KeyValue`s into attributes; later duplicates win. */
export function keyValues(list: unknown, depth = 0): Attributes {
  // Object.fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(objs(list).map((kv: Obj) => [str(kv.key), anyValue(kv.value, depth)] as const));
}
