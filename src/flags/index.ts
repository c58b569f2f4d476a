// Feature flags: stable bucketing, evaluation with OpenFeature's reasons and error codes, and the
// flag store (per environment, versioned, seeded from the app model).
export { bucketOf, inPercentage, BUCKET_COUNT } from './bucket.js';
export { evaluateFlag, type EvaluateOptions } from './evaluate.js';
export type { EvaluationContext, EvaluationReason, EvaluationErrorCode, EvaluationResult, EvaluationSuccess, EvaluationFailure } from './model.js';
export { flagMigrations } from './store/migrations.js';
export { FlagStore, APP_MODEL_ACTOR, type FlagStoreOptions, type ChangeOptions } from './store/flag-store.js';
export { checkFlag } from './store/check-flag.js';
export {
  FLAG_CHANGED,
  type StoredFlag,
  type FlagVersion,
  type FlagRef,
  type FlagChangeKind,
  type SeedReport,
  type FlagChangedEvent,
  type FlagChangedPayload,
  type FlagEventAppender,
} from './store/model.js';
