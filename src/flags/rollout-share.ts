import type { ResolvedFlag } from '../shared/index.js';
import { inPercentage } from './bucket.js';
import type { EvaluationContext } from './model.js';
import type { StoredFlag } from './store/model.js';

/**
 * The bucket salt of flag rollout `id`: `rollout:<id>`, hashed in place of the flag key (see
 * `bucketOf`), so a rollout's share picks other contexts than the flag's own percentage rules and
 * than an earlier rollout of the same flag.
 */
export function rolloutSalt(id: number): string {
  return `rollout:${id}`;
}

/**
 * The definition a context is served (pure): without a rollout in flight, the stored one; with one,
 * the rollout's new definition when the context's `targetingKey` falls in the first `percent` % of the
 * rollout's buckets, else the stored one. Raising the percentage only adds buckets, so a context
 * that got the new definition at 25 % still gets it at 50 %. A context without a `targetingKey`
 * cannot be bucketed: it keeps the stored definition until the rollout is at 100 %.
 */
export function servedDefinition(stored: StoredFlag, context: EvaluationContext): ResolvedFlag {
  const rollout = stored.rollout;
  if (rollout === undefined) return stored.flag;
  if (rollout.percent >= 100) return rollout.flag;
  const key = context.targetingKey;
  if (typeof key !== 'string' || key === '') return stored.flag;
  return inPercentage(rolloutSalt(rollout.id), key, rollout.percent) ? rollout.flag : stored.flag;
}
