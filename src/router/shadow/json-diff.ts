import { formatJsonLocation, jsonPathMatches, type JsonLocation, type JsonPathSegment } from '../../shared/index.js';

/**
 * The paths at which two parsed JSON documents differ, compared structurally: object keys in
 * any order, arrays by position, numbers by value (`1` equals `1.0`). A location one of
 * `ignore` names is skipped with everything under it. At most `limit` paths are returned.
 * @example diffJson({ a: 1, t: 5 }, { a: 2, t: 6 }, [[{ kind: 'name', name: 't' }]]) // ['$.a']
 */
export function diffJson(a: unknown, b: unknown, ignore: readonly (readonly JsonPathSegment[])[], limit = 20): string[] {
  const out: string[] = [];
  const location: (string | number)[] = [];
  const ignored = (loc: JsonLocation): boolean => ignore.some((p) => jsonPathMatches(p, loc));
  const walk = (x: unknown, y: unknown): void => {
    if (out.length >= limit || ignored(location)) return;
    if (x === y) return;
    const xArr = Array.isArray(x);
    const yArr = Array.isArray(y);
    if (xArr && yArr) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n && out.length < limit; i++) {
        location.push(i);
        if (i >= x.length || i >= y.length) {
          if (!ignored(location)) out.push(formatJsonLocation(location));
        } else walk(x[i], y[i]);
        location.pop();
      }
      return;
    }
    if (isObject(x) && isObject(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) {
        if (out.length >= limit) return;
        location.push(k);
        if (!Object.hasOwn(x, k) || !Object.hasOwn(y, k)) {
          if (!ignored(location)) out.push(formatJsonLocation(location));
        } else walk(x[k], y[k]);
        location.pop();
      }
      return;
    }
    out.push(formatJsonLocation(location));
  };
  walk(a, b);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
