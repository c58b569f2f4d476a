import type { FlagMatchValue, FlagValue, ResolvedFlag } from '../../../shared/index.js';

/** One flag in flagd's flag definition format (`https://flagd.dev/schema/v0/flags.json`). */
export interface FlagdFlag {
  readonly state: 'ENABLED' | 'DISABLED';
  readonly variants: Readonly<Record<string, unknown>>;
  readonly defaultVariant: string;
  readonly targeting?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** flagd's flag definition document, as read from a ConfigMap by `flagd start --uri file:…`. */
export interface FlagdDocument {
  readonly $schema: 'https://flagd.dev/schema/v0/flags.json';
  readonly flags: Readonly<Record<string, FlagdFlag>>;
}

/** The name of a variant for a value (`true` → `"true"`, `"blue"` → `"blue"`, 3 → `"3"`). */
function variantName(value: FlagValue): string {
  return String(value);
}

/**
 * The model's flags in flagd's format, so services keep one OpenFeature client (OFREP) across local,
 * AWS and Kubernetes. Rules become one JSONLogic `if` chain in order (the first match wins, as in the
 * model): `match` is an `==` per attribute, a percentage below 100 a `fractional` split on the
 * targeting key compared with its "in" bucket — a condition, so a user outside the split falls through
 * to the next rule like locally (bucketed by flag key and the rule's stickiness attribute when it names
 * one). Conditions map to JSONLogic and flagd's operators (`in`, `starts_with`, `ends_with`, `<` … `>=`,
 * `sem_ver`); a segment's conditions are written into the rule. Without rules the flag has no
 * targeting and serves its default.
 */
export function flagdDocument(flags: Readonly<Record<string, ResolvedFlag>>): FlagdDocument {
  const out: Record<string, FlagdFlag> = {};
  for (const flag of Object.values(flags)) {
    const variants: Record<string, unknown> = {};
    const add = (value: FlagValue) => {
      const name = variantName(value);
      variants[name] = flag.variants === undefined ? value : (flag.variants[name] ?? value);
      return name;
    };
    const defaultVariant = add(flag.defaultValue);
    if (typeof flag.defaultValue === 'boolean' && flag.variants === undefined) add(!flag.defaultValue);
    const chain: unknown[] = [];
    for (const rule of flag.rules) {
      const terms: unknown[] = [...matchTerms(rule.segment?.match ?? {}), ...matchTerms(rule.match)];
      const bucketBy = rule.stickiness === undefined ? [] : [{ cat: [{ var: '$flagd.flagKey' }, { var: rule.stickiness }] }];
      if (rule.percentage < 100) terms.push({ '==': [{ fractional: [...bucketBy, ['in', rule.percentage], ['out', 100 - rule.percentage]] }, 'in'] });
      const condition = terms.length === 0 ? true : terms.length === 1 ? terms[0] : { and: terms };
      chain.push(condition, add(rule.value));
    }
    out[flag.key] = {
      state: 'ENABLED',
      variants,
      defaultVariant,
      ...(chain.length === 0 ? {} : { targeting: { if: [...chain, defaultVariant] } }),
      ...(flag.description === undefined ? {} : { metadata: { description: flag.description } }),
    };
  }
  return { $schema: 'https://flagd.dev/schema/v0/flags.json', flags: out };
}

const SEMVER_OPS: Readonly<Record<string, string>> = { semverEq: '=', semverGt: '>', semverGte: '>=', semverLt: '<', semverLte: '<=' };
const NUMBER_OPS: Readonly<Record<string, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** JSONLogic terms of a `match`: `==` for a value, one term per operator of a condition. */
function matchTerms(match: Readonly<Record<string, FlagMatchValue>>): unknown[] {
  const terms: unknown[] = [];
  for (const [key, want] of Object.entries(match)) {
    const v = { var: key };
    if (typeof want !== 'object') {
      terms.push({ '==': [v, want] });
      continue;
    }
    // JSONLogic's var is null for a missing attribute; slipway's operators other than notExists need it present.
    const present = { '!=': [v, null] };
    for (const [op, operand] of Object.entries(want) as [string, unknown][]) {
      if (op === 'in') terms.push({ in: [v, operand] });
      else if (op === 'notIn') terms.push(present, { '!': { in: [v, operand] } });
      else if (op === 'startsWith') terms.push({ starts_with: [v, operand] });
      else if (op === 'endsWith') terms.push({ ends_with: [v, operand] });
      else if (op === 'contains') terms.push({ in: [operand, v] });
      else if (op in NUMBER_OPS) terms.push({ [NUMBER_OPS[op]!]: [v, operand] });
      else if (op in SEMVER_OPS) terms.push({ sem_ver: [v, SEMVER_OPS[op], operand] });
      else if (op === 'exists') terms.push(present);
      else if (op === 'notExists') terms.push({ '==': [v, null] });
    }
  }
  return terms;
}
