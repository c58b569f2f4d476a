import { describe, expect, it } from 'vitest';
import type { ResolvedFlag } from '../shared/index.js';
import { bucketOf } from './bucket.js';
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

  it.each<[string, ResolvedFlag, EvaluationContext, Partial<EvaluationResult>]>([
    // GIVEN a rule with operators or a segment WHEN evaluated THEN whether it served
    ['operators and equality together', flag({ rules: [{ percentage: 100, match: { plan: 'pro', country: { in: ['de', 'fr'] }, appVersion: { semverGte: '2.1.0' } }, value: true }] }), { plan: 'pro', country: 'fr', appVersion: '2.3.0' }, { value: true, reason: 'TARGETING_MATCH' }],
    ['an operator that does not hold falls through', flag({ rules: [{ percentage: 100, match: { appVersion: { semverGte: '2.1.0' } }, value: true }] }), { appVersion: '2.0.0' }, { value: false, reason: 'DEFAULT' }],
    ['a segment that matches', flag({ rules: [{ percentage: 100, match: {}, segment: { name: 'beta', match: { email: { endsWith: '@acme.io' } } }, value: true }] }), { email: 'ana@acme.io' }, { value: true, variant: 'rule-1' }],
    ['a segment that does not match', flag({ rules: [{ percentage: 100, match: {}, segment: { name: 'beta', match: { email: { endsWith: '@acme.io' } } }, value: true }] }), { email: 'ana@else.io' }, { reason: 'DEFAULT' }],
    ['a segment and the rule must both hold', flag({ rules: [{ percentage: 100, match: { plan: 'pro' }, segment: { name: 'beta', match: { beta: true } }, value: true }] }), { beta: true, plan: 'free' }, { reason: 'DEFAULT' }],
    ['a segment the app model did not declare never matches', flag({ rules: [{ percentage: 100, match: {}, segment: { name: 'gone' }, value: true }] }), {}, { reason: 'DEFAULT' }],
    ['a split by another attribute without it is TARGETING_KEY_MISSING', flag({ rules: [{ percentage: 50, match: {}, stickiness: 'accountId', value: true }] }), { targetingKey: 'u1' }, { ok: false, errorCode: 'TARGETING_KEY_MISSING' }],
  ])('%s', (_name, f, context, expected) => {
    expect(evaluateFlag(f, context)).toMatchObject(expected);
  });

  it('buckets by the stickiness attribute with the documented hash, so one account gets one value', () => {
    // GIVEN a 50 % split by accountId WHEN users of one account evaluate THEN they all get the account's value
    const byAccount = flag({ key: 'newCheckout', rules: [{ percentage: 50, match: {}, stickiness: 'accountId', value: true }] });
    const seen = new Set<boolean>();
    for (const accountId of ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell']) {
      const expected = bucketOf('newCheckout', accountId) < 50_000;
      seen.add(expected);
      const values = ['u1', 'u2', 'u3'].map((targetingKey) => evaluateFlag(byAccount, { targetingKey, accountId }));
      for (const v of values) expect(v).toMatchObject({ ok: true, value: expected, reason: expected ? 'SPLIT' : 'DEFAULT' });
    }
    expect(seen.size).toBe(2);
    // A number is bucketed as its decimal text.
    expect(evaluateFlag(byAccount, { accountId: 42 })).toEqual(evaluateFlag(byAccount, { accountId: '42' }));
  });
});
