import type { FlagValue, ResolvedFlag } from '../shared/index.js';
import { inPercentage } from './bucket.js';
import { matches } from './match.js';
import type { EvaluationContext, EvaluationResult } from './model.js';

/** Options of {@link evaluateFlag}. */
export interface EvaluateOptions {
  /** A disabled flag serves its default with reason `DISABLED`. @default true */
  readonly enabled?: boolean;
}

/** The attribute percentages bucket by when a rule names no `stickiness`. */
export const DEFAULT_STICKINESS = 'targetingKey';

/**
 * Evaluates a flag for a context. Pure. Rules are tried in order; a rule matches when every
 * `match` attribute matches the context's (equal, or satisfying its condition; see `matches`), its
 * segment's conditions hold too, and, for a percentage below 100, the context's stickiness attribute
 * (`targetingKey` unless the rule names another, e.g. `accountId`) falls in the rule's buckets (see
 * `bucketOf`, whose input is `flagKey/value`). The first match is served (`TARGETING_MATCH`, or
 * `SPLIT` when a percentage decided it); otherwise the default (`STATIC` for a flag without rules,
 * else `DEFAULT`). A percentage rule needs its stickiness attribute as a non-empty string (or a
 * finite number, bucketed as its decimal text): without one the result is `TARGETING_KEY_MISSING`,
 * never a guess.
 */
export function evaluateFlag(flag: ResolvedFlag, context: EvaluationContext, options: EvaluateOptions = {}): EvaluationResult {
  if (options.enabled === false) return served(flag, flag.defaultValue, 'default', 'DISABLED');
  if (flag.rules.length === 0) return served(flag, flag.defaultValue, 'default', 'STATIC');
  for (const [i, rule] of flag.rules.entries()) {
    if (!matches(rule.match, context)) continue;
    if (rule.segment !== undefined && (rule.segment.match === undefined || !matches(rule.segment.match, context))) continue;
    if (rule.percentage >= 100) return served(flag, rule.value, `rule-${i + 1}`, 'TARGETING_MATCH');
    const attribute = rule.stickiness ?? DEFAULT_STICKINESS;
    const sticky = Object.hasOwn(context, attribute) ? context[attribute] : undefined;
    const value = typeof sticky === 'string' ? sticky : typeof sticky === 'number' && Number.isFinite(sticky) ? String(sticky) : '';
    if (value === '') {
      return { ok: false, key: flag.key, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING', errorDetails: `flag ${flag.key}: rule ${i + 1} splits by ${attribute}, and the context has no string or number ${attribute}` };
    }
    if (inPercentage(flag.key, value, rule.percentage)) return served(flag, rule.value, `rule-${i + 1}`, 'SPLIT');
  }
  return served(flag, flag.defaultValue, 'default', 'DEFAULT');
}

/** With variants, `value` names one and its payload is served under that name. */
function served(flag: ResolvedFlag, value: FlagValue, variant: string, reason: 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'DISABLED'): EvaluationResult {
  if (flag.variants === undefined) return { ok: true, key: flag.key, value, variant, reason };
  const name = String(value);
  if (!Object.hasOwn(flag.variants, name)) {
    return { ok: false, key: flag.key, reason: 'ERROR', errorCode: 'GENERAL', errorDetails: `flag ${flag.key}: variant ${JSON.stringify(name)} is not declared` };
  }
  return { ok: true, key: flag.key, value: flag.variants[name], variant: name, reason };
}
