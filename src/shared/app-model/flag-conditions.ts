import { parseSemver } from './semver.js';

/** A value an attribute can be compared with. */
export type FlagScalar = string | number | boolean;

/**
 * The operators of a flag rule's `match`, beyond equality. A condition is an object of one or more
 * of them, all of which must hold: `{ in: ['de', 'fr'] }`, `{ gte: 18, lt: 65 }`, `{ semverGte: '2.1.0' }`.
 */
export const FLAG_OPERATORS = [
  'in',
  'notIn',
  'startsWith',
  'endsWith',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'semverEq',
  'semverGt',
  'semverGte',
  'semverLt',
  'semverLte',
  'exists',
  'notExists',
] as const;

/** One operator of {@link FLAG_OPERATORS}. */
export type FlagOperator = (typeof FLAG_OPERATORS)[number];

/** A condition on one context attribute: every operator given must hold. (A type, not an interface, so it is a JSON record.) */
export type FlagCondition = {
  /** The attribute equals one of these (strictly: `1` is not `"1"`). */
  readonly in?: readonly FlagScalar[];
  /** The attribute is present and equals none of these. */
  readonly notIn?: readonly FlagScalar[];
  /** The attribute is a string starting with this. */
  readonly startsWith?: string;
  /** The attribute is a string ending with this. */
  readonly endsWith?: string;
  /** The attribute is a string containing this. */
  readonly contains?: string;
  /** The attribute is a number greater than this. */
  readonly gt?: number;
  /** The attribute is a number greater than or equal to this. */
  readonly gte?: number;
  /** The attribute is a number less than this. */
  readonly lt?: number;
  /** The attribute is a number less than or equal to this. */
  readonly lte?: number;
  /** The attribute is a SemVer 2.0.0 version of the same precedence as this one. */
  readonly semverEq?: string;
  /** The attribute is a version after this one. */
  readonly semverGt?: string;
  /** The attribute is a version at or after this one. */
  readonly semverGte?: string;
  /** The attribute is a version before this one. */
  readonly semverLt?: string;
  /** The attribute is a version at or before this one. */
  readonly semverLte?: string;
  /** `true`: the attribute is present (any value but null). */
  readonly exists?: true;
  /** `true`: the attribute is absent (or null). */
  readonly notExists?: true;
};

/** What `match` holds per attribute: a value it must equal, or a {@link FlagCondition}. */
export type FlagMatchValue = FlagScalar | FlagCondition;

/** A problem of a match, at a path below the match (`['country', 'in', 0]`). */
export interface MatchIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const OPERATOR_SET: ReadonlySet<string> = new Set(FLAG_OPERATORS);
const LIST_MAX = 1_000;
const isScalar = (v: unknown): v is FlagScalar => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const show = (v: unknown): string => (Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'an object' : (JSON.stringify(v) ?? String(v)));

/** The kind of operand each operator takes. */
function operandIssue(op: FlagOperator, operand: unknown, at: readonly (string | number)[]): MatchIssue[] {
  switch (op) {
    case 'in':
    case 'notIn': {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length > LIST_MAX) return [{ path: at, message: `${op} takes a list of 1 to ${LIST_MAX} strings, numbers or booleans, got ${show(operand)}` }];
      return operand.flatMap((v, i) => (isScalar(v) ? [] : [{ path: [...at, i], message: `expected a string, a finite number or a boolean, got ${show(v)}` }]));
    }
    case 'startsWith':
    case 'endsWith':
    case 'contains':
      return typeof operand === 'string' && operand !== '' ? [] : [{ path: at, message: `${op} takes a non-empty string, got ${show(operand)}` }];
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof operand === 'number' && Number.isFinite(operand) ? [] : [{ path: at, message: `${op} takes a finite number, got ${show(operand)}` }];
    case 'semverEq':
    case 'semverGt':
    case 'semverGte':
    case 'semverLt':
    case 'semverLte':
      return typeof operand === 'string' && parseSemver(operand) !== undefined ? [] : [{ path: at, message: `${op} takes a SemVer 2.0.0 version such as "2.1.0" or "1.0.0-rc.1", got ${show(operand)}` }];
    case 'exists':
    case 'notExists':
      return operand === true ? [] : [{ path: at, message: `${op} takes true, got ${show(operand)}` }];
  }
}

/**
 * The problems of a rule's `match` (or a segment's): each attribute holds a string, a finite number or
 * a boolean (equality), or a condition object of known operators with operands of the right type
 * (`in` a list, `startsWith` a string, `gt` a number, `semverGte` a valid version, `exists` true),
 * not both `exists` and `notExists`. The app model's schema and the store's check both use it.
 */
export function matchIssues(match: unknown): MatchIssue[] {
  if (typeof match !== 'object' || match === null || Array.isArray(match)) return [{ path: [], message: `expected an object of attribute → value or condition, got ${show(match)}` }];
  const issues: MatchIssue[] = [];
  for (const [attr, want] of Object.entries(match)) {
    if (isScalar(want)) continue;
    if (typeof want !== 'object' || want === null || Array.isArray(want)) {
      issues.push({ path: [attr], message: `expected a string, a finite number, a boolean or a condition such as { in: [...] }, got ${show(want)}` });
      continue;
    }
    const ops = Object.keys(want);
    if (ops.length === 0) issues.push({ path: [attr], message: `a condition needs at least one operator: ${FLAG_OPERATORS.join(', ')}` });
    for (const op of ops) {
      if (!OPERATOR_SET.has(op)) {
        issues.push({ path: [attr, op], message: `unknown operator "${op}": expected one of ${FLAG_OPERATORS.join(', ')}` });
        continue;
      }
      issues.push(...operandIssue(op as FlagOperator, (want as Record<string, unknown>)[op], [attr, op]));
    }
    if (ops.includes('exists') && ops.includes('notExists')) issues.push({ path: [attr], message: 'exists and notExists cannot both hold' });
  }
  return issues;
}
