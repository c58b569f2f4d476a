// The app model: what users write (defineApp + schema), and the resolved form engines read.
export { defineApp } from './define-app.js';
export { canary, linear, rolling, blueGreen, type CanaryStrategy, type LinearStrategy, type RollingStrategy, type BlueGreenStrategy } from './strategies.js';
export { appDefinitionSchema, type AppDefinition, type ParsedAppDefinition } from './schema/app.js';
export {
  strategySchema,
  CODEDEPLOY_CONFIG_NAMES,
  type CodeDeployConfigName,
  type CanaryOptions,
  type LinearOptions,
  type RollingOptions,
  type BlueGreenOptions,
  type StrategyDefinition,
  type ShadowOptions,
  shadowSchema,
} from './schema/strategy.js';
export type { ServiceDefinition } from './schema/service.js';
export { HOOK_NAMES, type EnvironmentDefinition } from './schema/environment.js';
export { ACTION_TYPES, type PipelineDefinition, type ActionDefinition } from './schema/pipeline.js';
export { METRIC_COMPARISONS, ANOMALY_COMPARISONS, TREAT_MISSING_DATA, isRunbookUrl, type AlarmDefinition } from './schema/alarm.js';
export { NOTIFICATION_SEVERITIES, type SubscriptionDefinition } from './schema/notification.js';
export type { FlagDefinition, SegmentDefinition } from './schema/flag.js';
export { compileFlag, compileFlagForEnvironment, type SegmentMatches } from './compile-flag.js';
export { FLAG_OPERATORS, matchIssues, type FlagOperator, type FlagCondition, type FlagMatchValue, type FlagScalar, type MatchIssue } from './flag-conditions.js';
export { parseSemver, compareSemver, type Semver } from './semver.js';
export type { ExperimentDefinition } from './schema/experiment.js';
export { compileExperiment, servableValues, DEFAULT_MIN_SAMPLE_PER_VARIANT, DEFAULT_SIGNIFICANCE } from './compile-experiment.js';
export type { ResolvedExperiment, ResolvedArm, ResolvedExperimentMetric, ResolvedGuardrail, ResolvedEventSelector } from './resolved-experiment.js';
export { validateApp, resolveApp, checkReferences, type AppValidation } from './validate-app.js';
export { resolveStrategy, linearSteps, type StrategyContext } from './resolve-strategy.js';
export { parseDuration, tryParseDuration, formatDuration, type Duration } from './duration.js';
export { referencedAlarms, findAlarmRuleCycle, type AlarmState, type BinaryNode, type ConstNode, type NotNode, type RuleNode, type StateNode } from './alarm-rule.js';
export { parseAlarmRule, tryParseAlarmRule, MAX_RULE_DEPTH, MAX_RULE_LENGTH, type AlarmRuleParse } from './parse-alarm-rule.js';
export { envReferences, interpolateEnv, type EnvReference } from './interpolation.js';
export { isDnsName } from './names.js';
export { parseJsonPath, jsonPathMatches, formatJsonLocation, MAX_JSON_PATH_LENGTH, type JsonPathSegment, type JsonPathParse, type JsonLocation } from './json-path.js';
export { parseShadowIgnore, SHADOW_METHODS, SAFE_METHODS, DEFAULT_SHADOW_MAX_BODY_BYTES, type ShadowIgnoreRule } from './shadow-ignore.js';
export type {
  ResolvedApp,
  ResolvedService,
  ResolvedHealthCheck,
  ResolvedScaling,
  ResolvedScalingTarget,
  ResolvedScalingSchedule,
  ResolvedScaleAction,
  ResolvedMetricQuery,
  ResolvedMetricStat,
  ResolvedEnvironment,
  ResolvedHook,
  ResolvedStrategy,
  ResolvedAnalysis,
  ResolvedShadow,
  StrategyKind,
  ResolvedPipeline,
  ResolvedStage,
  ResolvedAction,
  ResolvedLoadTest,
  ResolvedLoadThresholds,
  ResolvedAlarm,
  ResolvedSubscription,
  ResolvedSubscriptionFilter,
  ResolvedFlag,
  ResolvedFlagRule,
  ResolvedSegmentRef,
  FlagValue,
  ResolvedWidget,
  ResolvedTelemetry,
  ResolvedRum,
  HookName,
} from './resolved.js';
export { servicesIn, serviceIn } from './services-in.js';
export { compileSchedule, lastRunBetween, type CompiledSchedule, type ScheduleParse } from './scaling-schedule.js';
export { stepAdjustmentProblems, selectStep, adjustedCount, type AdjustmentType, type StepAdjustment } from './step-adjustments.js';
export { isAutoscaled } from './is-autoscaled.js';
export type { LifecyclePolicy, LifecycleRule, LifecycleSelection, CompiledLifecyclePolicy, CompiledLifecycleRule } from './lifecycle/policy.js';
export { parseLifecyclePolicy } from './lifecycle/parse-policy.js';
export { matchesTagPattern, tagMatcher, MAX_PATTERN_WILDCARDS } from './lifecycle/tag-match.js';
export { ROTATION_TYPES, type OncallDefinition } from './schema/oncall.js';
export { compileOncall, DEFAULT_ESCALATE_AFTER, DEFAULT_HANDOFF, DEFAULT_SCHEDULE_TIME_ZONE } from './compile-oncall.js';
export { isTimeZone, wallTimeAt, wallMs, instantOf, addDays, daysBetween, parseDate, parseTimeOfDay, parseDateTime, offsetAt, type WallTime } from './oncall/zoned-time.js';
export type { ResolvedOncall, ResolvedOncallUser, ResolvedSchedule, ResolvedRotationLayer, ResolvedOverride, ResolvedEscalationPolicy, ResolvedEscalationLevel, ResolvedEscalationTarget } from './resolved-oncall.js';
export { underPrefix } from './load-target.js';
