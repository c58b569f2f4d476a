import { compareSemver, parseSemver, type FlagCondition, type FlagMatchValue, type FlagScalar } from '../shared/index.js';
import type { EvaluationContext } from './model.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;

// Versions in rules repeat on every evaluation: parse each once (bounded like the bucket memory).
const parsedVersions = new Map<string, ReturnType<typeof parseSemver>>();
function version(text: string) {
  let v = parsedVersions.get(text);
  if (v === undefined && !parsedVersions.has(text)) {
    v = parseSemver(text);
    if (parsedVersions.size >= 4_096) parsedVersions.clear();
    parsedVersions.set(text, v);
  }
  return v;
}

function semver(actual: unknown, want: string, test: (order: number) => boolean): boolean {
  if (typeof actual !== 'string') return false;
  const a = version(actual);
  const w = version(want);
  return a !== undefined && w !== undefined && test(compareSemver(a, w));
}

const number = (actual: unknown, test: (n: number) => boolean): boolean => typeof actual === 'number' && Number.isFinite(actual) && test(actual);
const text = (actual: unknown, test: (s: string) => boolean): boolean => typeof actual === 'string' && test(actual);
const oneOf = (list: readonly FlagScalar[], actual: unknown): boolean => list.some((v) => v === actual);

/**
 * Whether a context attribute satisfies a condition: every operator given holds. Pure. An absent
 * attribute (undefined or null) satisfies only `notExists`; operators compare strictly by type: a
 * string operator on a number, a numeric one on `"3"` or a version operator on a string that is not
 * SemVer 2.0.0 do not hold (they never throw).
 */
export function satisfies(condition: FlagCondition, actual: unknown): boolean {
  if (!present(actual)) return condition.notExists === true && Object.keys(condition).length === 1;
  for (const op of Object.keys(condition) as (keyof FlagCondition)[]) {
    const ok = (() => {
      switch (op) {
        case 'in':
          return oneOf(condition.in!, actual);
        case 'notIn':
          return !oneOf(condition.notIn!, actual);
        case 'startsWith':
          return text(actual, (s) => s.startsWith(condition.startsWith!));
        case 'endsWith':
          return text(actual, (s) => s.endsWith(condition.endsWith!));
        case 'contains':
          return text(actual, (s) => s.includes(condition.contains!));
        case 'gt':
          return number(actual, (n) => n > condition.gt!);
        case 'gte':
          return number(actual, (n) => n >= condition.gte!);
        case 'lt':
          return number(actual, (n) => n < condition.lt!);
        case 'lte':
          return number(actual, (n) => n <= condition.lte!);
        case 'semverEq':
          return semver(actual, condition.semverEq!, (o) => o === 0);
        case 'semverGt':
          return semver(actual, condition.semverGt!, (o) => o > 0);
        case 'semverGte':
          return semver(actual, condition.semverGte!, (o) => o >= 0);
        case 'semverLt':
          return semver(actual, condition.semverLt!, (o) => o < 0);
        case 'semverLte':
          return semver(actual, condition.semverLte!, (o) => o <= 0);
        case 'exists':
          return true;
        case 'notExists':
          return false;
        default:
          // An operator the checks would refuse: never a match.
          return false;
      }
    })();
    if (!ok) return false;
  }
  return true;
}

/** Whether a context matches every attribute of a `match`: equal (strictly) to a value, or satisfying a condition. */
export function matches(match: Readonly<Record<string, FlagMatchValue>>, context: EvaluationContext): boolean {
  for (const attr in match) {
    if (!Object.hasOwn(match, attr)) continue;
    const want = match[attr];
    const actual = Object.hasOwn(context, attr) ? context[attr] : undefined;
    if (typeof want === 'object' && want !== null) {
      if (!satisfies(want, actual)) return false;
    } else if (actual !== want) {
      return false;
    }
  }
  return true;
}
