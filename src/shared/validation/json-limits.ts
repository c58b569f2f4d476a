import { InputError, type Issue } from '../errors/index.js';
import { formatPath } from './zod-issues.js';

/** The deepest nesting of objects and arrays accepted at a boundary, by default. */
export const DEFAULT_JSON_MAX_DEPTH = 64;
/** The most values (the whole value, every member and every item) accepted at a boundary, by default. */
export const DEFAULT_JSON_MAX_VALUES = 100_000;

/** Bounds on the shape of untrusted JSON (an API body, a config file, a telemetry request). */
export interface JsonLimits {
  /**
   * Deepest nesting of objects and arrays; the outermost object or array is level 1.
   * Every recursive function slipway runs over user JSON (serialisation, freezing,
   * cloning, messages) is safe to this depth.
   * @default 64
   */
  readonly maxDepth?: number;
  /** Most values in total: the value itself, every member and every array item. @default 100_000 */
  readonly maxValues?: number;
}

/** Which limit a value broke, and where. */
export interface JsonLimitViolation {
  /** `depth` for {@link JsonLimits.maxDepth}, `values` for {@link JsonLimits.maxValues}. */
  readonly limit: 'depth' | 'values';
  /** The limit that was exceeded. */
  readonly max: number;
  /** Where: the path of the first value past the limit, and what is wrong. */
  readonly issue: Issue;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

// Paths of a deep value are long; messages keep both ends, which say where it starts and what it is.
const MAX_PATH_CHARS = 160;

/**
 * Checks the shape of an untrusted value without recursion, so a value nested any
 * number of levels deep cannot exhaust the stack here. Only plain objects and arrays
 * are walked (a Buffer or a Date is one value).
 * @param where how the value is named in paths, e.g. `body`; `''` for none.
 * @returns the first limit broken, or `undefined` when the value is within both.
 * @example findJsonLimitViolation({ a: { b: [1] } }, 'body', { maxDepth: 2 })
 *   // → { limit: 'depth', max: 2, issue: { path: 'body.a.b', message: 'nested deeper than 2 levels (the limit)' } }
 */
export function findJsonLimitViolation(value: unknown, where: string, limits: JsonLimits = {}): JsonLimitViolation | undefined {
  const maxDepth = limits.maxDepth ?? DEFAULT_JSON_MAX_DEPTH;
  const maxValues = limits.maxValues ?? DEFAULT_JSON_MAX_VALUES;
  const stack: Frame[] = [{ value, depth: isContainer(value) ? 1 : 0, parent: undefined, key: undefined }];
  let values = 0;
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    values += 1;
    if (values > maxValues) {
      return { limit: 'values', max: maxValues, issue: { path: pathOf(frame, where), message: `has more than ${maxValues} values (the limit)` } };
    }
    if (frame.depth > maxDepth) {
      return { limit: 'depth', max: maxDepth, issue: { path: pathOf(frame, where), message: `nested deeper than ${maxDepth} levels (the limit)` } };
    }
    const v = frame.value;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(child(v[i], frame, i));
    } else if (isPlainObject(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push(child(v[keys[i]!], frame, keys[i]!));
    }
  }
  return undefined;
}

function child(value: unknown, parent: Frame, key: string | number): Frame {
  return { value, depth: isContainer(value) ? parent.depth + 1 : parent.depth, parent, key };
}

function isContainer(value: unknown): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function pathOf(frame: Frame, where: string): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  const path = formatPath(keys.reverse(), where);
  if (path.length <= MAX_PATH_CHARS) return path;
  const half = Math.floor(MAX_PATH_CHARS / 2);
  return `${path.slice(0, half)}…${path.slice(-half)}`;
}

/**
 * The error a request body over the limits is answered with: too deep is `SLW_ERR_API_TOO_DEEP`
 * (400), too many values `SLW_ERR_API_BODY_TOO_LARGE` (413), each naming the limit and the path
 * where it was passed; undefined when the body is within both.
 */
export function jsonLimitError(body: unknown, limits: JsonLimits = {}): InputError | undefined {
  const violation = findJsonLimitViolation(body, 'body', limits);
  if (violation === undefined) return undefined;
  const { issue } = violation;
  return new InputError(violation.limit === 'depth' ? 'SLW_ERR_API_TOO_DEEP' : 'SLW_ERR_API_BODY_TOO_LARGE', `${issue.path}: ${issue.message}`, { issues: [issue] });
}
