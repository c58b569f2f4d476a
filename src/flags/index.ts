// Feature flags: stable bucketing and evaluation with OpenFeature's reasons and error codes.
export { bucketOf, inPercentage, BUCKET_COUNT } from './bucket.js';
export { evaluateFlag, type EvaluateOptions } from './evaluate.js';
export type { EvaluationContext, EvaluationReason, EvaluationErrorCode, EvaluationResult, EvaluationSuccess, EvaluationFailure } from './model.js';
