import type { EvaluationResult } from '../model.js';
import type { OfrepEvaluationFailure, OfrepEvaluationSuccess } from './model.js';

/** An OFREP single-flag answer: its HTTP status and body. */
export interface OfrepAnswer {
  /** 200 served; 404 `FLAG_NOT_FOUND`; 400 any other evaluation failure (OFREP's `evaluationFailure`). */
  readonly status: 200 | 400 | 404;
  readonly body: OfrepEvaluationSuccess | OfrepEvaluationFailure;
}

/** An evaluation as an OFREP flag item (`evaluationSuccess` or `evaluationFailure`). */
export function toOfrepItem(result: EvaluationResult, version: number | undefined): OfrepEvaluationSuccess | OfrepEvaluationFailure {
  if (!result.ok) return { key: result.key, errorCode: result.errorCode, errorDetails: result.errorDetails };
  return { key: result.key, value: result.value, reason: result.reason, variant: result.variant, metadata: version === undefined ? {} : { version } };
}

/** An evaluation as the single-flag endpoint answers it, with the status OFREP gives each outcome. */
export function toOfrepAnswer(result: EvaluationResult, version: number | undefined): OfrepAnswer {
  const body = toOfrepItem(result, version);
  if (result.ok) return { status: 200, body };
  return { status: result.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400, body };
}
