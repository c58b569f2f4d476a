import type { FlagValue, ResolvedFlag } from '../shared/index.js';
import { inPercentage } from './bucket.js';
import type { EvaluationContext, EvaluationResult } from './model.js';

/** Options of {@link evaluateFlag}. */
export interface EvaluateOptions {
  /** A disabled flag serves its default with reason `DISABLED`. @default true */
  readonly enabled?: boolean;
}

/**
 * Evaluates a flag for a context. Pure. Rules are tried in order; a rule matches when every
 * `match` attribute equals the context's and, for a percentage below 100, the context's
 * `targetingKey` falls in the rule's buckets (see `bucketOf`). The first match is served
 * (`TARGETING_MATCH`, or `SPLIT` when a percentage decided it); otherwise the default
 * (`STATIC` for a flag without rules, else `DEFAULT`). A percentage rule needs a string
 * `targetingKey`: without one the result is `TARGETING_KEY_MISSING`, never a guess.
 */
export function evaluateFlag(flag: ResolvedFlag, context: EvaluationContext, options: EvaluateOptions = {}): EvaluationResult {
  if (options.enabled === false) return served(flag, flag.defaultValue, 'default', 'DISABLED');
  if (flag.rules.length === 0) return served(flag, flag.defaultValue, 'default', 'STATIC');
  const targetingKey = context.targetingKey;
  for (const [i, rule] of flag.rules.entries()) {
    const matches = Object.entries(rule.match).every(([attr, want]) => context[attr] === want);
    if (!matches) continue;
    if (rule.percentage >= 100) return served(flag, rule.value, `rule-${i + 1}`, 'TARGETING_MATCH');
    if (typeof targetingKey !== 'string' || targetingKey === '') {
      return { ok: false, key: flag.key, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING', errorDetails: `flag ${flag.key}: rule ${i + 1} splits by targetingKey, and the context has none` };
    }
    if (inPercentage(flag.key, targetingKey, rule.percentage)) return served(flag, rule.value, `rule-${i + 1}`, 'SPLIT');
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
