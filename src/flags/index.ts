// Feature flags: stable bucketing, evaluation with OpenFeature's reasons and error codes, the flag
// store (per environment, versioned, seeded from the app model), the OFREP endpoint and its
// signed read-only tokens, the flags API, impressions.
export { bucketOf, inPercentage, BUCKET_COUNT } from './bucket.js';
export { evaluateFlag, type EvaluateOptions } from './evaluate.js';
export { evaluateStoredFlag } from './evaluate-stored.js';
export { servedDefinition, rolloutSalt } from './rollout-share.js';
export type { EvaluationContext, EvaluationReason, EvaluationErrorCode, EvaluationResult, EvaluationSuccess, EvaluationFailure } from './model.js';
export { flagMigrations } from './store/migrations.js';
export { FlagStore, APP_MODEL_ACTOR, type FlagStoreOptions, type ChangeOptions } from './store/flag-store.js';
export { checkFlag } from './store/check-flag.js';
export { definitionJson } from './store/definition.js';
export {
  FLAG_CHANGED,
  type StoredFlag,
  type ServedRollout,
  type FlagVersion,
  type FlagRef,
  type FlagChangeKind,
  type SeedReport,
  type FlagChangedEvent,
  type FlagChangedPayload,
  type FlagEventAppender,
} from './store/model.js';
export { ofrepRoutes, OFREP_FLAG_PATH, OFREP_BULK_PATH, FLAG_SNAPSHOT_PATH, FLAG_IMPRESSIONS_PATH, type OfrepRoutesOptions, type FlagSource, type FlagSnapshot } from './ofrep/routes.js';
export { FlagTokens } from './ofrep/flag-tokens.js';
export { OfrepEndpoint, type OfrepEndpointOptions } from './ofrep/worker/ofrep-endpoint.js';
export { ofrepRequestListener, type OfrepListenerOptions } from './ofrep/worker/ofrep-listener.js';
export { SnapshotFlagSource } from './ofrep/worker/snapshot-source.js';
export { flagApiRoutes, DEFAULT_API_ACTOR, type FlagApiRoutesOptions } from './api/routes.js';
export { flagDto, flagDetailDto, flagVersionDto, flagDefinitionDto } from './api/flag-dto.js';
export { flagCredentials, type FlagCaller, type FlagCredential, type FlagCredentialCheck } from './ofrep/credentials.js';
export type { OfrepEvaluationSuccess, OfrepEvaluationFailure, OfrepBulkEvaluationSuccess, OfrepBulkEvaluationFailure, OfrepMetadata } from './ofrep/model.js';
export { ImpressionCounter, IMPRESSIONS_METRIC, FLAGS_METRICS_SERVICE, type Impression, type ImpressionRecorder } from './impressions/impression-counter.js';
export { ImpressionPublisher, type ImpressionPublisherOptions, type MetricPointSink } from './impressions/impression-publisher.js';
export { createFlags, type Flags, type FlagsOptions } from './flags.js';
export { SlipwayProvider, type SlipwayProviderOptions } from './provider/index.js';
