// Deployments: revisions of services, traffic between them, and the deployment engine (strategies, hooks, analysis, rollback).
export type { ContainerImages, ImageRequest } from './local/container-images.js';
export { LocalEnvironments, serviceSubject, type LocalEnvironmentsOptions, type StartRevisionRequest, type EnvironmentStatus, type RevisionHealth } from './local-environments.js';
export type { TrafficTarget, VerifiedWeights } from './target/traffic-target.js';
export { shadowId, type ShadowTarget, type ShadowRequest } from './target/shadow-target.js';
export { NO_TASKS, findRevision, healthOf, weightsOf, type ServiceDescription, type RevisionDescription } from './target/service-description.js';
export type { MetricProvider } from './analysis/metric-provider.js';
export { deploymentMigrations } from './store/migrations.js';
export { RevisionStore, type ServiceRevision } from './store/revision-store.js';
export { DeploymentStore, type DeploymentFilter } from './store/deployment-store.js';
export { DeployLogStore, type DeployLogEntry } from './store/deploy-log-store.js';
export { TrafficController, type TrafficControllerOptions, type SyncResult } from './traffic/traffic-controller.js';
export { buildRoutingTable, targetGroupId, type EnvironmentRouting, type RevisionWeight, type RoutableTask } from './traffic/routing-table.js';
export { environmentRoutes } from './routes.js';
export { deploymentRoutes } from './deployment-routes.js';
export { createDeploymentEngine, type DeploymentEngine, type DeploymentEngineOptions } from './engine.js';
export { DeploymentService, type DeploymentServiceOptions, type DeploymentDetail, type DeploymentOrigin } from './service.js';
export { pinSecrets, samePins, baseRevision, revisionWithPins, type SecretPins, type SecretVersions } from './secret-pins.js';
export { Reconciler, watchedAlarms, type ReconcilerOptions } from './reconciler.js';
export { decide, HEALTH_POLL_MS, type Decision, type Observation, type HealthLimits } from './decide.js';
export { planDeployment, promotedPlan } from './strategies/plan-deployment.js';
export { rollingBatchSize } from './strategies/rolling.js';
export type { DeploymentStrategy, PlanContext } from './strategies/strategy.js';
export { assess, analysisOutcome, errorRatePercent, type Assessment, type AnalysisOutcome } from './analysis/assess.js';
export { assessShadow, shadowOutcome, type ShadowAssessment, type ShadowOutcome } from './analysis/assess-shadow.js';
export { counterSamples, measurementsBetween } from './analysis/measure.js';
export { StaticAlarmSource, type AlarmSource, type AlarmListener } from './alarms/alarm-source.js';
export { EventLogAlarmSource, parseAlarmEvent, ALARM_STATE_CHANGED, type EventLogAlarmSourceOptions } from './alarms/event-log-alarm-source.js';
export { FlagRollouts, type FlagRolloutsOptions, type StartFlagRollout, type FlagRolloutCommand } from './flag-rollouts/flag-rollouts.js';
export { FlagRolloutStore, type FlagRolloutFilter } from './flag-rollouts/flag-rollout-store.js';
export { flagRolloutRoutes } from './flag-rollouts/flag-rollout-routes.js';
export { flagRolloutDto } from './flag-rollouts/flag-rollout-dto.js';
export { planFlagRollout } from './flag-rollouts/plan-flag-rollout.js';
export { decideFlagRollout, type FlagRolloutDecision } from './flag-rollouts/decide-flag-rollout.js';
export { isFlagRolloutTerminal, flagRolloutSubject, type FlagRollout, type FlagRolloutState, type FlagRolloutStep, type FlagRolloutRollback, type FlagRolloutTarget } from './flag-rollouts/model.js';
export { runHook, hookEnv, type HookContext, type HookOutcome } from './hooks/run-hook.js';
export {
  ACTIVE_DEPLOYMENT_STATES,
  TERMINAL_DEPLOYMENT_STATES,
  isTerminal,
  deploymentSubject,
  type Deployment,
  type DeploymentState,
  type DeploymentKind,
  type DeploymentStep,
  type AnalysisConfig,
  type AnalysisVerdict,
  type AnalysisRun,
  type Measurements,
  type RevisionMeasurement,
  type HookResult,
  type CounterSample,
  type RollbackRecord,
  type ApprovalRecord,
  type StepRecord,
} from './model.js';
