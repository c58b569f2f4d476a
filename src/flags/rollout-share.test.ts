import { describe, expect, it } from 'vitest';
import type { ResolvedFlag } from '../shared/index.js';
import { bucketOf } from './bucket.js';
import { evaluateStoredFlag } from './evaluate-stored.js';
import { rolloutSalt, servedDefinition } from './rollout-share.js';
import type { StoredFlag } from './store/model.js';

const from: ResolvedFlag = { key: 'newCheckout', defaultValue: false, variants: undefined, rules: [], description: undefined };
const to: ResolvedFlag = { ...from, rules: [{ percentage: 100, match: {}, value: true }] };
const stored = (percent: number | undefined, id = 7): StoredFlag => ({ environment: 'production', flag: from, enabled: true, version: 3, updatedAtMs: 0, ...(percent === undefined ? {} : { rollout: { id, percent, flag: to } }) });
const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
const onNew = (s: StoredFlag): Set<string> => new Set(keys.filter((k) => evaluateStoredFlag('production', 'newCheckout', s, { targetingKey: k }).ok && (evaluateStoredFlag('production', 'newCheckout', s, { targetingKey: k }) as { value: unknown }).value === true));

describe('servedDefinition', () => {
  it.each<[string, StoredFlag, Record<string, unknown>, ResolvedFlag]>([
    // GIVEN a stored flag (with or without a rollout) and a context WHEN served THEN the definition
    ['no rollout: the stored definition', stored(undefined), { targetingKey: 'user-1' }, from],
    ['a rollout at 100 %: the new one, even without a key', stored(100), {}, to],
    ['a rollout at 0 %: the stored one', stored(0), { targetingKey: 'user-1' }, from],
    ['no targetingKey under a partial rollout: the stored one (it cannot be bucketed)', stored(50), {}, from],
  ])('%s', (_name, s, context, expected) => {
    expect(servedDefinition(s, context)).toBe(expected);
  });

  it('buckets with the rollout salt: a key is on the new definition exactly when its rollout:<id> bucket is below the share', () => {
    // GIVEN a rollout at 25 % WHEN user-1 is evaluated THEN its bucket under `rollout:7` decides
    const bucket = bucketOf(rolloutSalt(7), 'user-1');
    expect(servedDefinition(stored(25), { targetingKey: 'user-1' })).toBe(bucket < 25_000 ? to : from);
    expect(rolloutSalt(7)).toBe('rollout:7');
  });

  it('is sticky: raising 25 → 50 keeps every context of the first 25 % and about doubles them', () => {
    // GIVEN 10 000 keys WHEN the rollout goes from 25 % to 50 % THEN the first set is a subset of the second
    const at25 = onNew(stored(25));
    const at50 = onNew(stored(50));
    expect([...at25].every((k) => at50.has(k))).toBe(true);
    expect(Math.abs(at25.size / 100 - 25)).toBeLessThanOrEqual(2);
    expect(Math.abs(at50.size / 100 - 50)).toBeLessThanOrEqual(2);
  });

  it('picks other contexts for another rollout of the same flag (the salt is the rollout, not the flag)', () => {
    const a = onNew(stored(50, 7));
    const b = onNew(stored(50, 8));
    const both = [...a].filter((k) => b.has(k)).length;
    // Independent halves overlap on about a quarter of the keys, not on all of them.
    expect(Math.abs(both / 100 - 25)).toBeLessThanOrEqual(3);
  });

  it('a disabled flag under a rollout still serves its default (the kill switch wins)', () => {
    expect(evaluateStoredFlag('production', 'newCheckout', { ...stored(100), enabled: false }, { targetingKey: 'user-1' })).toMatchObject({ ok: true, value: false, reason: 'DISABLED' });
  });
});
