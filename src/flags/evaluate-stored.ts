import { evaluateFlag } from './evaluate.js';
import type { EvaluationContext, EvaluationResult } from './model.js';
import { servedDefinition } from './rollout-share.js';
import type { StoredFlag } from './store/model.js';

/**
 * Evaluates a flag as stored in an environment: disabled flags serve their default (`DISABLED`),
 * a rollout in flight serves its new definition to its share of contexts (see {@link servedDefinition}),
 * and a flag the environment does not have is `FLAG_NOT_FOUND`, so the caller serves its own
 * default; never an exception. Pure.
 */
export function evaluateStoredFlag(environment: string, key: string, stored: StoredFlag | undefined, context: EvaluationContext): EvaluationResult {
  if (stored === undefined) {
    return { ok: false, key, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag ${JSON.stringify(key)} was not found in environment ${JSON.stringify(environment)}` };
  }
  return evaluateFlag(servedDefinition(stored, context), context, { enabled: stored.enabled });
}
