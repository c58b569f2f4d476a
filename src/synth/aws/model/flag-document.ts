import { InputError, type FlagMatchValue, type FlagScalar, type FlagValue, type ResolvedFlag, type ResolvedFlagRule } from '../../../shared/index.js';

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

/** The context key AppConfig splits percentages by when a rule names no `stickiness`; clients pass it as OpenFeature's targeting key. */
export const SPLIT_CONTEXT_KEY = 'targetingKey';

/** Options of {@link appConfigFlagDocument}. */
export interface FlagDocumentOptions {
  /** The environment whose definitions these are (named in errors). @default none */
  readonly environment?: string;
}

/**
 * Translates the model's flags into AppConfig's feature-flag format. A boolean flag becomes the flag's
 * `enabled` state; any other value (or a variant's payload) becomes the `value` attribute. Rules become
 * variants in order (the first match wins, as in the model) with `eq` for `match` and `split` for a
 * percentage below 100; the flag's default becomes the last, rule-less `default` variant. Operators map
 * to AppConfig's (see {@link ruleExpression}); a segment's conditions are written into the rule.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` for a rule AppConfig cannot express (a semver comparison)
 */
export function appConfigFlagDocument(flags: Readonly<Record<string, ResolvedFlag>>, options: FlagDocumentOptions = {}): AppConfigFlagDocument {
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
        rule: ruleOf(flag.key, i, rule, options.environment),
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

function ruleOf(key: string, i: number, rule: ResolvedFlagRule, environment: string | undefined): string {
  const at = `flags.${key}${environment === undefined ? '' : `.environments.${environment}`}.rules[${i}]`;
  // A segment and the rule may both constrain an attribute: both must hold, so both are written.
  const terms = [...(rule.segment?.match === undefined ? [] : matchTerms(rule.segment.match, `${at}.segment(${rule.segment.name})`)), ...matchTerms(rule.match, `${at}.match`)];
  return expression(terms, rule.percentage, rule.stickiness);
}

const literal = (v: FlagScalar): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const list = (vs: readonly FlagScalar[]): string => `[${vs.map(literal).join(', ')}]`;
const exists = (attr: string): string => `(exists key::${JSON.stringify(attr)})`;

/** The AppConfig terms of a `match`, one or more per attribute. @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` */
function matchTerms(match: Readonly<Record<string, FlagMatchValue>>, at: string): string[] {
  const terms: string[] = [];
  for (const [attr, want] of Object.entries(match)) {
    const v = `$${attr}`;
    if (typeof want !== 'object') {
      terms.push(`(eq ${v} ${literal(want)})`);
      continue;
    }
    for (const [op, operand] of Object.entries(want) as [string, unknown][]) {
      switch (op) {
        case 'in':
          terms.push(`(in ${v} ${list(operand as FlagScalar[])})`);
          break;
        case 'notIn':
          // slipway's notIn needs the attribute; AppConfig's (not (in …)) alone would hold without it.
          terms.push(exists(attr), `(not (in ${v} ${list(operand as FlagScalar[])}))`);
          break;
        case 'startsWith':
          terms.push(`(begins_with ${v} ${literal(operand as string)})`);
          break;
        case 'endsWith':
          terms.push(`(ends_with ${v} ${literal(operand as string)})`);
          break;
        case 'contains':
          terms.push(`(contains ${v} ${literal(operand as string)})`);
          break;
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          terms.push(`(${op} ${v} ${literal(operand as number)})`);
          break;
        case 'exists':
          terms.push(exists(attr));
          break;
        case 'notExists':
          terms.push(`(not ${exists(attr)})`);
          break;
        default:
          throw new InputError(
            'SLW_ERR_SYNTH_UNMAPPABLE',
            `${at}.${attr}.${op}: AppConfig's rule language has no ${op.startsWith('semver') ? 'version comparison' : `"${op}" operator`}; compare a numeric attribute instead (e.g. { gte: 20100 } for 2.1.0) or list the versions with in: [...]`,
          );
      }
    }
  }
  return terms;
}

function expression(terms: string[], percentage: number, stickiness: string | undefined): string {
  // A rule that always matches is a 100% split: AppConfig needs an expression.
  if (percentage < 100 || terms.length === 0) terms.push(`(split by::$${stickiness ?? SPLIT_CONTEXT_KEY} pct::${percentage})`);
  return terms.length === 1 ? terms[0]! : `(and ${terms.join(' ')})`;
}

/**
 * A rule's AppConfig expression: `{ plan: 'pro' }` at 10% → `(and (eq $plan "pro") (split by::$targetingKey pct::10))`.
 * `in` → `(in $k [...])`; `startsWith`, `endsWith`, `contains` → `begins_with`, `ends_with`, `contains`; `gt` … `lte`
 * as they are; `exists` → `(exists key::"k")`; `notExists` and `notIn` with `not` (`notIn` also requiring the
 * attribute, as locally); the split is by the rule's stickiness attribute (`by::$accountId`). Semver
 * comparisons have no equivalent.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` for an operator AppConfig cannot express
 */
export function ruleExpression(match: Readonly<Record<string, FlagMatchValue>>, percentage: number, stickiness?: string): string {
  return expression(matchTerms(match, 'match'), percentage, stickiness);
}
