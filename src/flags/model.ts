/** An evaluation context, as OpenFeature sends it: `targetingKey` plus any attributes. */
export type EvaluationContext = Readonly<Record<string, unknown>>;

/** Why a value was served, in OpenFeature's words (OFREP `reason`). */
export type EvaluationReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'DISABLED' | 'ERROR';

/** OpenFeature's error codes, as OFREP returns them. */
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';

/** A served value. */
export interface EvaluationSuccess {
  readonly ok: true;
  readonly key: string;
  /** The value (a variant's payload when the flag has variants). */
  readonly value: unknown;
  readonly reason: Exclude<EvaluationReason, 'ERROR'>;
  /** The variant's name; for flags without variants, `default` or `rule-<n>` (1-based). */
  readonly variant: string;
}

/** An evaluation that could not serve a value: the caller uses its own default. */
export interface EvaluationFailure {
  readonly ok: false;
  readonly key: string;
  readonly reason: 'ERROR';
  readonly errorCode: EvaluationErrorCode;
  /** What went wrong, for the caller's logs. */
  readonly errorDetails: string;
}

/** The outcome of evaluating one flag. */
export type EvaluationResult = EvaluationSuccess | EvaluationFailure;
