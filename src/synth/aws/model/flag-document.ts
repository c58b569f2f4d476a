import type { FlagValue, ResolvedFlag } from '../../../shared/index.js';

/** One flag's definition in AppConfig's `AWS.AppConfig.FeatureFlags` document. */
interface FlagDefinition {
  readonly name: string;
  readonly description?: string;
  readonly attributes?: Readonly<Record<string, { readonly constraints: { readonly type: string } }>>;
}

/** A variant of a multi-variant flag; the default variant comes last and has no rule. */
interface FlagVariant {
  readonly name: string;
  readonly enabled: boolean;
  readonly rule?: string;
  readonly attributeValues?: Readonly<Record<string, unknown>>;
}

/** AppConfig's feature-flag document (`version: "1"`). */
export interface AppConfigFlagDocument {
  readonly version: '1';
  readonly flags: Readonly<Record<string, FlagDefinition>>;
  readonly values: Readonly<Record<string, { readonly enabled: boolean; readonly value?: unknown } | { readonly _variants: readonly FlagVariant[] }>>;
}

/** The context key AppConfig splits percentages by; clients pass it as OpenFeature's targeting key. */
export const SPLIT_CONTEXT_KEY = 'targetingKey';

/**
 * Translates the model's flags into AppConfig's feature-flag format. A boolean flag becomes the flag's
 * `enabled` state; any other value (or a variant's payload) becomes the `value` attribute. Rules become
 * variants in order (the first match wins, as in the model) with `eq` for `match` and `split` for a
 * percentage below 100; the flag's default becomes the last, rule-less `default` variant.
 */
export function appConfigFlagDocument(flags: Readonly<Record<string, ResolvedFlag>>): AppConfigFlagDocument {
  const definitions: Record<string, FlagDefinition> = {};
  const values: Record<string, AppConfigFlagDocument['values'][string]> = {};
  for (const flag of Object.values(flags)) {
    const boolean = flag.variants === undefined && typeof flag.defaultValue === 'boolean';
    const type = flag.variants !== undefined ? 'string' : typeof flag.defaultValue;
    definitions[flag.key] = {
      name: flag.key,
      ...(flag.description === undefined ? {} : { description: flag.description }),
      ...(boolean ? {} : { attributes: { value: { constraints: { type } } } }),
    };
    const valueOf = (value: FlagValue) => (boolean ? { enabled: value === true } : { enabled: true, value: resolveVariant(flag, value) });
    if (flag.rules.length === 0) {
      values[flag.key] = valueOf(flag.defaultValue);
      continue;
    }
    const variants: FlagVariant[] = flag.rules.map((rule, i) => {
      const v = valueOf(rule.value);
      return {
        name: `rule-${i + 1}`,
        enabled: v.enabled,
        rule: ruleExpression(rule.match, rule.percentage),
        ...('value' in v ? { attributeValues: { value: v.value } } : {}),
      };
    });
    const d = valueOf(flag.defaultValue);
    variants.push({ name: 'default', enabled: d.enabled, ...('value' in d ? { attributeValues: { value: d.value } } : {}) });
    values[flag.key] = { _variants: variants };
  }
  return { version: '1', flags: definitions, values };
}

/** With variants, values name a variant; AppConfig gets the variant's name (its payload is the app's). */
function resolveVariant(flag: ResolvedFlag, value: FlagValue): FlagValue {
  return flag.variants === undefined ? value : String(value);
}

/** `{ plan: 'pro' }` at 10% → `(and (eq $plan "pro") (split by::$targetingKey pct::10))`. */
export function ruleExpression(match: Readonly<Record<string, string | number | boolean>>, percentage: number): string {
  const terms = Object.entries(match).map(([key, value]) => `(eq $${key} ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`);
  // A rule that always matches is a 100% split: AppConfig needs an expression.
  if (percentage < 100 || terms.length === 0) terms.push(`(split by::$${SPLIT_CONTEXT_KEY} pct::${percentage})`);
  return terms.length === 1 ? terms[0]! : `(and ${terms.join(' ')})`;
}
