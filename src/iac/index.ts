// Infrastructure as code: the running system as resources, the app model as the same resources, and plans between them.
export type { AttributeChange, AttributeValue, Change, ChangeAction, ChangeEffect, ChangeSet, Resource, ResourceType } from '../shared/index.js';
export { desiredResources, ingressRules, resourceId, serviceAttributes, strategyAttribute, toAttribute } from './desired-state.js';
export { attributeEffect, canonicalJson, dependencyOrder, destructiveReasons, diffAttributes, fingerprint, planChanges } from './plan.js';
export { LiveModel, APP_SCOPE, envScope, scopeOf } from './live-model.js';
export { liveResources, scopeFingerprint } from './live-state.js';
export { formatChangeSet, summarize } from './format-plan.js';
export { InfrastructureAsCode, type ApplyOptions, type IacOptions, type PlanSource, type ScopeApplyReport } from './iac.js';
export { DriftDetector, DEFAULT_OVERRIDE_MS, driftsOf, type Drift, type DriftKind, type DriftDetectorOptions } from './drift.js';
export type { LiveSystem, ObservedService, ObservedRevision } from './ports.js';
export { IacStore, type AppliedVersion, type Override, type StoredApply, type StoredPlan } from './store/iac-store.js';
export { iacMigrations } from './store/migrations.js';
export { iacRoutes, planDto, applyDto, appliedVersionDto, resolveForPlan } from './routes.js';
