import { evaluateFlag } from './evaluate.js';
import type { EvaluationContext, EvaluationResult } from './model.js';
import type { StoredFlag } from './store/model.js';

/**
 * Evaluates a flag as stored in an environment: disabled flags serve their default (`DISABLED`),
 * and a flag the environment does not have is `FLAG_NOT_FOUND`, so the caller serves its own
 * default; never an exception.
 */
export function evaluateStoredFlag(environment: string, key: string, stored: StoredFlag | undefined, context: EvaluationContext): EvaluationResult {
  if (stored === undefined) {
    return { ok: false, key, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag ${JSON.stringify(key)} was not found in environment ${JSON.stringify(environment)}` };
  }
  return evaluateFlag(stored.flag, context, { enabled: stored.enabled });
}
