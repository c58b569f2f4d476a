import type { Issue } from '../errors/index.js';
import { findJsonLimitViolation, formatPath, type JsonLimits } from '../validation/index.js';
import { isReservedKey, reservedKeyMessage } from './names.js';

/**
 * Bounds of an app definition's shape: far beyond any real one, and shallow enough
 * that everything that walks it (the schema's messages, cloning, freezing) is safe.
 */
export const APP_DEFINITION_LIMITS: Required<JsonLimits> = Object.freeze({ maxDepth: 64, maxValues: 100_000 });

interface Frame {
  readonly value: unknown;
  readonly path: readonly (string | number)[];
}

/**
 * Checks what the schema cannot see, before it runs: nesting within
 * {@link APP_DEFINITION_LIMITS}, no reserved key (`__proto__`, `constructor`,
 * `prototype`) anywhere, and no object whose prototype was set from data (an object
 * literal's `__proto__: {...}`). The schema would drop the first and never see the
 * entries of the second, and call the definition valid.
 * @returns one issue per problem, with its path; empty when there is none.
 */
export function checkShape(input: unknown): Issue[] {
  const violation = findJsonLimitViolation(input, '', APP_DEFINITION_LIMITS);
  if (violation !== undefined) return [violation.issue];
  const issues: Issue[] = [];
  // Iterative: the depth is bounded above, but a walk should not rely on it.
  const stack: Frame[] = [{ value: input, path: [] }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, path } = frame;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    if (hasPrototypeFromData(value)) {
      issues.push({ path: formatPath(path), message: 'has its prototype set (by a "__proto__" key in an object literal?): write its entries as keys of the object itself' });
    }
    const keys = Object.keys(value);
    for (const key of keys) if (isReservedKey(key)) issues.push({ path: formatPath([...path, key]), message: reservedKeyMessage(key) });
    // Children in reverse, so that they are visited (and reported) in the order they are written.
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (!isReservedKey(key)) stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return issues;
}

// A class's prototype (Date, Map, ...) has its own `constructor`; an object that was
// written as data and made a prototype with `__proto__: {...}` has none.
function hasPrototypeFromData(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto !== null && proto !== Object.prototype && typeof proto === 'object' && !Object.hasOwn(proto, 'constructor');
}
