import { describe, expect, it } from 'vitest';
import type { ResolvedFlag } from '../shared/index.js';
import { evaluateFlag } from './evaluate.js';
import type { EvaluationContext, EvaluationResult } from './model.js';

const flag = (f: Partial<ResolvedFlag>): ResolvedFlag => ({ key: 'f', defaultValue: false, variants: undefined, rules: [], description: undefined, ...f });
const everyone = flag({ rules: [{ percentage: 100, match: { country: 'NL' }, value: true }] });
const split = flag({ rules: [{ percentage: 50, match: {}, value: true }] });
const variants = flag({ defaultValue: 'off', variants: { off: { color: 'grey' }, on: { color: 'green' } }, rules: [{ percentage: 100, match: { plan: 'pro' }, value: 'on' }] });
const undeclared = flag({ defaultValue: 'off', variants: { off: 1 }, rules: [{ percentage: 100, match: {}, value: 'gone' }] });

describe('evaluateFlag', () => {
  it.each<[string, ResolvedFlag, EvaluationContext, { enabled?: boolean } | undefined, Partial<EvaluationResult>]>([
    // GIVEN a flag and a context WHEN evaluated THEN value, variant and reason
    ['no rules is STATIC', flag({ defaultValue: 3 }), {}, undefined, { ok: true, value: 3, variant: 'default', reason: 'STATIC' }],
    ['a matching rule is TARGETING_MATCH', everyone, { country: 'NL' }, undefined, { ok: true, value: true, variant: 'rule-1', reason: 'TARGETING_MATCH' }],
    ['no matching rule is DEFAULT', everyone, { country: 'BE' }, undefined, { ok: true, value: false, variant: 'default', reason: 'DEFAULT' }],
    ['equality is strict (1 is not "1")', flag({ rules: [{ percentage: 100, match: { n: 1 }, value: true }] }), { n: '1' }, undefined, { reason: 'DEFAULT' }],
    ['a disabled flag serves its default as DISABLED', everyone, { country: 'NL' }, { enabled: false }, { ok: true, value: false, reason: 'DISABLED' }],
    ['a split without targetingKey is TARGETING_KEY_MISSING', split, {}, undefined, { ok: false, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' }],
    ['a variant is served by name with its payload', variants, { plan: 'pro' }, undefined, { ok: true, value: { color: 'green' }, variant: 'on', reason: 'TARGETING_MATCH' }],
    ['the default variant', variants, { plan: 'free' }, undefined, { ok: true, value: { color: 'grey' }, variant: 'off', reason: 'DEFAULT' }],
    ['an undeclared variant is an ERROR, not undefined', undeclared, {}, undefined, { ok: false, errorCode: 'GENERAL' }],
  ])('%s', (_name, f, context, options, expected) => {
    expect(evaluateFlag(f, context, options)).toMatchObject(expected);
  });

  it('splits about half of 10 000 keys, reason SPLIT inside and DEFAULT outside', () => {
    const results = Array.from({ length: 10_000 }, (_, i) => evaluateFlag(split, { targetingKey: `u${i}` }));
    const inside = results.filter((r) => r.ok && r.reason === 'SPLIT' && r.value === true).length;
    const outside = results.filter((r) => r.ok && r.reason === 'DEFAULT' && r.value === false).length;
    expect(inside + outside).toBe(10_000);
    expect(Math.abs(inside / 100 - 50)).toBeLessThanOrEqual(2);
  });
});
