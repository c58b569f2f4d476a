import type { AttrValue, Attributes } from '../model/index.js';
import { bigint, double, obj, objs, str, type Obj } from './read.js';

/**
 * The deepest `kvlistValue`/`arrayValue` nesting kept. Deeper values are cut (to null)
 * rather than recursed into: a hostile body must not be able to exhaust the stack. The
 * cut is counted, so that the sender is told in the partial-success message.
 */
export const MAX_ANY_VALUE_DEPTH = 16;

/** Told of every value cut at {@link MAX_ANY_VALUE_DEPTH}. */
export interface DepthCuts {
  /** Records one value cut. */
  cut(): void;
}

/** Flattens an OTLP `AnyValue` into a JSON-compatible {@link AttrValue}. */
export function anyValue(value: unknown, depth = 0, cuts?: DepthCuts): AttrValue {
  const v = obj(value);
  if (depth > MAX_ANY_VALUE_DEPTH) {
    cuts?.cut();
    return null;
  }
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
  if ('arrayValue' in v) return objs(obj(v.arrayValue).values).map((item) => anyValue(item, depth + 1, cuts));
  if ('kvlistValue' in v) return keyValues(obj(v.kvlistValue).values, depth + 1, cuts);
  if ('bytesValue' in v) {
    const b = v.bytesValue;
    return b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') : str(b);
  }
  return null;
}

/** Flattens a list of OTLP `KeyValue`s into attributes; later duplicates win. */
export function keyValues(list: unknown, depth = 0, cuts?: DepthCuts): Attributes {
  // Object.fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(objs(list).map((kv: Obj) => [str(kv.key), anyValue(kv.value, depth, cuts)] as const));
}
