import type { EvaluationErrorCode, EvaluationReason } from '../model.js';

/** OFREP `metadata`: flat values only. */
export type OfrepMetadata = Readonly<Record<string, boolean | string | number>>;

/** OFREP `evaluationSuccess` (`serverEvaluationSuccess` on the single-flag endpoint). */
export interface OfrepEvaluationSuccess {
  readonly key: string;
  readonly value: unknown;
  readonly reason: Exclude<EvaluationReason, 'ERROR'>;
  readonly variant: string;
  /** `version`: the flag's stored version in the environment. */
  readonly metadata: OfrepMetadata;
}

/** OFREP `evaluationFailure`, or `flagNotFound` when `errorCode` is `FLAG_NOT_FOUND`. */
export interface OfrepEvaluationFailure {
  readonly key: string;
  readonly errorCode: EvaluationErrorCode;
  readonly errorDetails: string;
}

/** OFREP `bulkEvaluationSuccess`. */
export interface OfrepBulkEvaluationSuccess {
  readonly flags: readonly (OfrepEvaluationSuccess | OfrepEvaluationFailure)[];
  /** `environment`: the environment the flags were evaluated in. */
  readonly metadata: OfrepMetadata;
}

/** OFREP `bulkEvaluationFailure`: the whole request was refused. */
export interface OfrepBulkEvaluationFailure {
  readonly errorCode: EvaluationErrorCode;
  readonly errorDetails: string;
}
