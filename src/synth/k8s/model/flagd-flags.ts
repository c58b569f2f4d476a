import type { FlagValue, ResolvedFlag } from '../../../shared/index.js';

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
 * to the next rule like locally. Without rules the flag has no targeting and serves its default.
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
      const terms: unknown[] = Object.entries(rule.match).map(([key, value]) => ({ '==': [{ var: key }, value] }));
      if (rule.percentage < 100) terms.push({ '==': [{ fractional: [['in', rule.percentage], ['out', 100 - rule.percentage]] }, 'in'] });
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
