import type { FlagCondition, FlagDefinitionDto, FlagMatchValue, FlagRuleDto } from '../../../src/shared/index.js';

const OPERATOR_TEXT: Readonly<Record<keyof FlagCondition, string>> = {
  in: 'in',
  notIn: 'not in',
  startsWith: 'starts with',
  endsWith: 'ends with',
  contains: 'contains',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  semverEq: '= version',
  semverGt: '> version',
  semverGte: '≥ version',
  semverLt: '< version',
  semverLte: '≤ version',
  exists: 'is set',
  notExists: 'is not set',
};

/** A value as a flag definition writes it: strings quoted, lists in brackets. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  return JSON.stringify(value) ?? String(value);
}

/** One attribute's requirement: `plan = "pro"`, `country in ["de", "fr"]`, `appVersion ≥ version "2.1.0"`. */
export function showCondition(attribute: string, want: FlagMatchValue): string {
  if (typeof want !== 'object') return `${attribute} = ${showValue(want)}`;
  return Object.entries(want)
    .map(([op, operand]) => {
      const text = OPERATOR_TEXT[op as keyof FlagCondition] ?? op;
      return op === 'exists' || op === 'notExists' ? `${attribute} ${text}` : `${attribute} ${text} ${showValue(operand)}`;
    })
    .join(' and ');
}

/** A rule in one line: `segment beta, plan = "pro", 10 % by accountId → true`. */
export function summarizeRule(rule: FlagRuleDto): string {
  const parts = [...(rule.segment === undefined ? [] : [`segment ${rule.segment}`]), ...Object.entries(rule.match).map(([a, w]) => showCondition(a, w))];
  if (rule.percentage < 100) parts.push(`${rule.percentage} % by ${rule.stickiness ?? 'targetingKey'}`);
  return `${parts.length === 0 ? 'everyone' : parts.join(', ')} → ${showValue(rule.value)}`;
}

/**
 * The variants a flag can serve, as impressions name them: the declared variants, or `default` and
 * `rule-<n>` for a flag whose values are served as they are.
 */
export function servedVariants(definition: FlagDefinitionDto): string[] {
  if (definition.variants !== null) return Object.keys(definition.variants);
  return ['default', ...definition.rules.map((_, i) => `rule-${i + 1}`)];
}

/** The path of a flag's page. */
export const flagPath = (environment: string, key: string): string => `/flags/${encodeURIComponent(environment)}/${encodeURIComponent(key)}`;
