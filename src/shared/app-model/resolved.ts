import type { ResolvedOncall } from './resolved-oncall.js';
import type { ResolvedExperiment } from './resolved-experiment.js';
import type { AlarmState, RuleNode } from './alarm-rule.js';
import type { CodeDeployConfigName } from './schema/strategy.js';
import type { HookName } from './schema/environment.js';
import type { FlagMatchValue } from './flag-conditions.js';
import type { AdjustmentType, StepAdjustment } from './step-adjustments.js';

/** The CodeDeploy hook names, in running order. */
export type { HookName, AlarmState };

/** The strategy kinds, one per way of moving traffic. */
export type StrategyKind = ResolvedStrategy['kind'];

/** Automated analysis between traffic steps, compiled. */
export interface ResolvedAnalysis {
  /** Alarms that fail the analysis while in ALARM (the environment's `rollbackOn` unless given). */
  readonly alarms: readonly string[];
  /** Highest share of 5xx responses of the new revision, in percent, if checked. */
  readonly maxErrorRatePercent: number | undefined;
  /** Highest p99 latency of the new revision in ms, if checked. */
  readonly maxLatencyP99Ms: number | undefined;
  /** Fewer requests in a step make the verdict Inconclusive. */
  readonly minRequestCount: number;
}

/** A shadow step, compiled: durations in ms, every default filled in. */
export interface ResolvedShadow {
  /** Share of requests copied, 1–100. */
  readonly percent: number;
  readonly durationMs: number;
  /** Highest share of differing answers, percent. */
  readonly maxDiffPercent: number;
  /** Highest shadow/primary p99 ratio, if checked. */
  readonly maxLatencyRatio: number | undefined;
  /** Fewer compared answers make the verdict Inconclusive. */
  readonly minRequestCount: number;
  /** `headers.<name>` entries and JSON paths, as written. */
  readonly ignore: readonly string[];
  readonly methods: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxConcurrent: number;
  readonly timeoutMs: number;
  readonly compareHeaders: boolean;
  readonly compareBody: 'auto' | 'json' | 'bytes' | 'ignore';
}

interface StrategyBase {
  /** The CodeDeploy configuration name the strategy was written as, if it was one. */
  readonly codeDeployName: CodeDeployConfigName | undefined;
}

/** A deployment strategy compiled into one discriminated union, durations in ms. */
export type ResolvedStrategy =
  | (StrategyBase & { readonly kind: 'AllAtOnce' })
  | (StrategyBase & {
      readonly kind: 'Rolling';
      /** Tasks replaced per batch; set when the batch is a count. */
      readonly batchSize: number | undefined;
      /** Share of tasks replaced per batch; set when the batch is a percentage. */
      readonly batchPercent: number | undefined;
      /** Share of desired tasks kept healthy during the rollout. */
      readonly minHealthyPercent: number;
    })
  | (StrategyBase & {
      readonly kind: 'Canary';
      /** Traffic percentages, increasing, ending at 100. */
      readonly steps: readonly number[];
      /** Time at each step. */
      readonly intervalMs: number;
      readonly analysis: ResolvedAnalysis | undefined;
      /** A shadow step before the first traffic step; absent without one. */
      readonly shadow?: ResolvedShadow;
    })
  | (StrategyBase & {
      readonly kind: 'Linear';
      /** Percentage added at each step. */
      readonly stepPercent: number;
      /** The resulting traffic percentages, ending at 100 (e.g. 30 → [30, 60, 90, 100]). */
      readonly steps: readonly number[];
      /** Time between steps. */
      readonly intervalMs: number;
      readonly analysis: ResolvedAnalysis | undefined;
      /** A shadow step before the first traffic step; absent without one. */
      readonly shadow?: ResolvedShadow;
    })
  | (StrategyBase & {
      readonly kind: 'BlueGreen';
      /** Whether the test listener reaches the new revision before the shift. */
      readonly testTraffic: boolean;
      /** Time watched after the shift before success (0: none). */
      readonly bakeTimeMs: number;
      /** Time the old revision keeps running after the shift. */
      readonly terminateBlueAfterMs: number;
      /** A shadow step before the switch; absent without one. */
      readonly shadow?: ResolvedShadow;
    });

/** A service's health check, durations in ms. */
export interface ResolvedHealthCheck {
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly gracePeriodMs: number;
}

/** One metric of a metric query, compiled: its dimensions as telemetry matches them (`service`, `environment` and the rest). */
export interface ResolvedMetricStat {
  readonly metric: string;
  /** The `service` and `environment` written, if any, and the other dimensions. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

/**
 * A metric query over one period: metrics by id, and an expression over them (CloudWatch's
 * `Metrics` array). Without an expression there is exactly one metric, whose values are the result.
 */
export interface ResolvedMetricQuery {
  readonly metrics: Readonly<Record<string, ResolvedMetricStat>>;
  /** Metric math over the ids, e.g. `m1 / m2 * 100`; undefined for a single metric. */
  readonly expression?: string | undefined;
}

/** Target tracking on a metric query, compiled. */
export interface ResolvedScalingTarget {
  /** A label for events and synthesized policies: the metric name or the expression. */
  readonly label: string;
  readonly query: ResolvedMetricQuery;
  readonly periodMs: number;
  readonly target: number;
}

/** A scheduled action, compiled (see `scheduleSchema`). */
export interface ResolvedScalingSchedule {
  readonly name: string;
  /** `cron(...)`, `at(...)` or `rate(...)`, as written (checked). */
  readonly schedule: string;
  readonly timezone: string;
  readonly minTasks?: number | undefined;
  readonly maxTasks?: number | undefined;
}

/** A service's scaling, durations in ms. */
export interface ResolvedScaling {
  readonly min: number;
  readonly max: number;
  readonly targetCpuPercent: number | undefined;
  readonly targetRequestsPerTask: number | undefined;
  /** Target tracking on other metrics. */
  readonly targets: readonly ResolvedScalingTarget[];
  readonly schedules: readonly ResolvedScalingSchedule[];
  /** Alarms with a `scale` action on this service. */
  readonly scaledByAlarms: readonly string[];
  readonly scaleInCooldownMs: number;
  readonly scaleOutCooldownMs: number;
}

/** A `scale` alarm action, compiled: Application Auto Scaling's step scaling policy. */
export interface ResolvedScaleAction {
  readonly type: 'scale';
  readonly service: string;
  /** undefined: wherever the alarm watches. */
  readonly environment: string | undefined;
  readonly adjustmentType: AdjustmentType;
  /** Contiguous, not overlapping; bounds relative to the threshold. */
  readonly steps: readonly StepAdjustment[];
  readonly cooldownMs: number;
  readonly minAdjustmentMagnitude: number | undefined;
}

/** A service's image, compiled (see `imageSchema`). */
export interface ResolvedImage {
  /** The Dockerfile, relative to the config file's folder. */
  readonly dockerfile: string;
  /** The build context, relative to the config file's folder. */
  readonly context: string;
  readonly target: string | undefined;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Empty: the host's platform. */
  readonly platforms: readonly string[];
  readonly tagMutability: 'MUTABLE' | 'IMMUTABLE';
  /** ECR's JSON text of the lifecycle policy, as checked; undefined keeps every image. */
  readonly lifecyclePolicy: string | undefined;
  readonly scanOnPush: boolean;
}

/** A service with every default filled in. */
export interface ResolvedService {
  readonly name: string;
  readonly path: string;
  readonly start: string;
  /** How tasks run locally. */
  readonly runtime: 'process' | 'container';
  /** Its image, when it has one (required for `runtime: 'container'`). */
  readonly image: ResolvedImage | undefined;
  readonly portEnv: string;
  readonly health: ResolvedHealthCheck;
  /** Path prefix on the environment ingress, or undefined when not exposed there. */
  readonly ingressPathPrefix: string | undefined;
  readonly scaling: ResolvedScaling;
  /** Environment variables as written; `${services.<name>.url}` is substituted per environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Services whose URL the env values use, sorted. */
  readonly urlReferences: readonly string[];
  readonly secrets: readonly string[];
  /** CPU units per task on AWS (1024 = one vCPU). */
  readonly cpuUnits: number;
  /** Memory per task on AWS. */
  readonly memoryMiB: number;
  readonly platform: 'ecs' | 'apprunner';
  readonly dependsOn: readonly string[];
  /** Paths besides `path` whose changes change the service (relative to the config file). */
  readonly watch: readonly string[];
}

/** A lifecycle hook, compiled. */
export type ResolvedHook =
  | { readonly kind: 'Command'; readonly command: string; readonly timeoutMs: number }
  | { readonly kind: 'Url'; readonly url: string; readonly timeoutMs: number };

/** An environment with every default filled in. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly ingressPort: number;
  readonly testPort: number | undefined;
  readonly strategy: ResolvedStrategy;
  readonly rollbackOn: readonly string[];
  readonly hooks: Readonly<Partial<Record<HookName, ResolvedHook>>>;
  readonly requiresApproval: boolean;
  /** Revert drift as soon as it is detected (otherwise report it only). */
  readonly selfHeal: boolean;
  /** Where the environment runs on AWS: each service on its own platform (`ecs`), or one EKS cluster (`eks`). */
  readonly platform: 'ecs' | 'eks';
  /**
   * The services this environment runs, when they differ from the app's: set only in the live
   * model the control plane composes from the environments' applied models (an environment runs
   * the services of the commit it applied last). Read it through `servicesIn`. @default the app's services
   */
  readonly services?: Readonly<Record<string, ResolvedService>>;
}

/** One pipeline action, compiled; `name` is always set. */
export type ResolvedAction = {
  readonly name: string;
  readonly runOrder: number;
  readonly timeoutMs: number;
  readonly retries: number;
} & (
  | {
      readonly type: 'build';
      readonly buildspec: string;
      /** Where exported variables go (`#{<namespace>.VAR}`); the action's name unless given. */
      readonly namespace: string;
      /** Line coverage (percent) below which the action fails; undefined: no gate. */
      readonly minLineCoverage: number | undefined;
    }
  | {
      readonly type: 'image';
      /** The services whose images are built, each with an `image`, in the order written. */
      readonly services: readonly string[];
      readonly failOn: 'low' | 'medium' | 'high' | 'critical';
    }
  | { readonly type: 'scan'; readonly failOn: 'low' | 'medium' | 'high' | 'critical' }
  | { readonly type: 'approval' }
  | { readonly type: 'deploy'; readonly environment: string; /** undefined: every service */ readonly service: string | undefined }
  | { readonly type: 'invoke'; readonly command: string }
  | { readonly type: 'plan'; /** Succeed on a destructive plan. */ readonly allowDestroy: boolean }
  | ({ readonly type: 'loadtest' } & ResolvedLoadTest)
  | {
      readonly type: 'analyze';
      /** A command that writes SARIF; undefined: ESLint with the security rule set. */
      readonly command: string | undefined;
      /** The SARIF file the command writes, relative to the checkout's root; undefined without a command. */
      readonly sarif: string | undefined;
      /** What ESLint lints (without a command). */
      readonly paths: readonly string[];
      /** Lowest SARIF level that fails the action. */
      readonly failOn: 'error' | 'warning' | 'note';
    }
);

/** The thresholds of a load test; undefined: no limit on that figure. */
export interface ResolvedLoadThresholds {
  readonly p50Ms: number | undefined;
  readonly p90Ms: number | undefined;
  readonly p95Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number | undefined;
  /** 0 to 1. */
  readonly errorRate: number | undefined;
  readonly minRequests: number | undefined;
}

/** A load test, compiled: its target resolved to an environment's ingress and a normalised path. */
export interface ResolvedLoadTest {
  readonly environment: string;
  /** The path and query sent to the environment's ingress (normalised, routes to `service`). */
  readonly path: string;
  /** The service the path routes to. */
  readonly service: string;
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly durationMs: number;
  readonly concurrency: number;
  /** Requests per second across all connections; undefined: as fast as the concurrency allows. */
  readonly ratePerSecond: number | undefined;
  /** The most requests sent. */
  readonly maxRequests: number;
  readonly requestTimeoutMs: number;
  readonly thresholds: ResolvedLoadThresholds;
}

/** One pipeline stage, compiled. */
export interface ResolvedStage {
  readonly name: string;
  readonly actions: readonly ResolvedAction[];
  readonly beforeEntry: { readonly alarms: readonly string[]; readonly result: 'FAIL' | 'SKIP' } | undefined;
  readonly onFailure: { readonly result: 'FAIL' | 'RETRY' | 'ROLLBACK'; readonly retries: number };
}

/** The pipeline, compiled. */
export interface ResolvedPipeline {
  readonly trigger: {
    readonly branches: readonly string[];
    readonly tags: readonly string[];
    readonly preset: 'trunk' | 'gitflow' | undefined;
    readonly pollIntervalMs: number;
  };
  readonly executionMode: 'SUPERSEDED' | 'QUEUED' | 'PARALLEL';
  readonly stages: readonly ResolvedStage[];
}

interface ResolvedMetricFields {
  readonly metric: string;
  readonly service: string | undefined;
  readonly environment: string | undefined;
  readonly stat: string;
  readonly periodMs: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: 'missing' | 'notBreaching' | 'breaching' | 'ignore';
}

/** An alarm, compiled; `kind` tells metric, anomaly and composite alarms apart. */
export type ResolvedAlarm = {
  readonly name: string;
  readonly description: string | undefined;
  /** An http(s) URL or a Markdown file relative to the config file, if the alarm has a runbook. */
  readonly runbook: string | undefined;
  readonly notify: readonly string[];
} & (
  | (ResolvedMetricFields & {
      readonly kind: 'Metric';
      /** Metric math: the metrics (each with the alarm's service and environment unless given) and the expression; `metric` is then the expression. */
      readonly math?: ResolvedMetricQuery;
      /** `scale` actions run while in ALARM. @default [] (absent in models applied before alarm actions) */
      readonly actions?: readonly ResolvedScaleAction[];
      readonly threshold: number;
      readonly comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
    })
  | (ResolvedMetricFields & {
      readonly kind: 'Anomaly';
      /** Band width in standard deviations. */
      readonly band: number;
      readonly comparison: 'LessThanLowerOrGreaterThanUpperThreshold' | 'GreaterThanUpperThreshold' | 'LessThanLowerThreshold';
    })
  | { readonly kind: 'Composite'; readonly rule: string; readonly ruleTree: RuleNode; /** Alarms the rule names. */ readonly references: readonly string[] }
);

/** A notification subscription, compiled. */
export type ResolvedSubscription = (
  | { readonly type: 'webhook'; readonly url: string; readonly secret: string | undefined }
  | { readonly type: 'slack'; readonly url: string }
  | { readonly type: 'email'; readonly to: readonly string[]; readonly smtp: { readonly host: string; readonly port: number; readonly from: string } }
  | { readonly type: 'file'; readonly path: string }
) & {
  /** Which notifications it receives; absent: everything routed to its topic. */
  readonly filter?: ResolvedSubscriptionFilter;
};

/** A subscription's filter, compiled: an absent list lets everything through. */
export interface ResolvedSubscriptionFilter {
  /** Event types, exact or a prefix ending in `*`. */
  readonly events?: readonly string[];
  /** Severities received. */
  readonly severities?: readonly ('critical' | 'warning' | 'info')[];
}

/** A flag value. */
export type FlagValue = boolean | string | number;

/** A segment a rule refers to, as the rule carries it: its name and its conditions, copied in. */
export interface ResolvedSegmentRef {
  readonly name: string;
  /** The segment's conditions when the rule was compiled; absent when no such segment was declared (the store's check refuses it). */
  readonly match?: Readonly<Record<string, FlagMatchValue>>;
}

/** A targeting rule, compiled. Keys that were not written are absent (not undefined), so stored definitions stay as they were. */
export interface ResolvedFlagRule {
  /** 0 … 100. */
  readonly percentage: number;
  /** Equalities and conditions per attribute, all of which must hold. */
  readonly match: Readonly<Record<string, FlagMatchValue>>;
  /** A segment that must match too, self-contained so a stored flag evaluates without the app model. */
  readonly segment?: ResolvedSegmentRef;
  /** The attribute a percentage buckets by; absent means `targetingKey`. */
  readonly stickiness?: string;
  readonly value: FlagValue;
}

/** A feature flag, compiled. */
export interface ResolvedFlag {
  readonly key: string;
  readonly defaultValue: FlagValue;
  readonly variants: Readonly<Record<string, unknown>> | undefined;
  readonly rules: readonly ResolvedFlagRule[];
  readonly description: string | undefined;
}

/** A dashboard widget, compiled. */
export type ResolvedWidget =
  | { readonly type: 'metric'; readonly title: string; readonly metric: string; readonly service: string | undefined; readonly environment: string | undefined; readonly stat: string; readonly periodMs: number }
  | { readonly type: 'logs'; readonly title: string; readonly query: string }
  | { readonly type: 'alarms'; readonly title: string; readonly alarms: readonly string[] }
  | { readonly type: 'text'; readonly title: string; readonly markdown: string };

/**
 * The compiled app model every engine and synthesizer reads: validated, references checked,
 * defaults filled in, durations in ms, strategies normalised; deeply frozen.
 */
export interface ResolvedApp {
  readonly name: string;
  readonly services: Readonly<Record<string, ResolvedService>>;
  readonly environments: Readonly<Record<string, ResolvedEnvironment>>;
  /** undefined when the definition has no pipeline. */
  readonly pipeline: ResolvedPipeline | undefined;
  readonly alarms: Readonly<Record<string, ResolvedAlarm>>;
  readonly notifications: Readonly<Record<string, readonly ResolvedSubscription[]>>;
  /** The flags as declared, without per-environment overrides. */
  readonly flags: Readonly<Record<string, ResolvedFlag>>;
  /**
   * Per environment, the flags it is seeded with and synthesized to: each flag with that
   * environment's override (`flags.<key>.environments.<env>`) merged in.
   */
  readonly flagsByEnvironment: Readonly<Record<string, Readonly<Record<string, ResolvedFlag>>>>;
  /** The named segments, by name (rules carry a copy of the one they name). */
  readonly segments: Readonly<Record<string, Readonly<Record<string, FlagMatchValue>>>>;
  /** A/B experiments on flags; absent in models applied before experiments existed. */
  readonly experiments?: Readonly<Record<string, ResolvedExperiment>>;
  readonly artifacts: { readonly keepLast: number; readonly expireUntaggedAfterMs: number };
  readonly dashboards: Readonly<Record<string, { readonly name: string; readonly widgets: readonly ResolvedWidget[] }>>;
  readonly telemetry: ResolvedTelemetry;
  /** On-call schedules and escalation policies; absent in models applied before on-call existed. */
  readonly oncall?: ResolvedOncall;
}

/** Who may send telemetry to the local receivers, and how long it is kept. */
export interface ResolvedTelemetry {
  /** Whether senders without an ingest key are accepted (their metrics stay anonymous, never read by alarms). */
  readonly allowUnauthenticated: boolean;
  /** Age limits, ms; undefined where the model sets none (the store's default, 7 days). */
  readonly retention: {
    readonly logsMs: number | undefined;
    readonly spansMs: number | undefined;
    readonly metricsMs: number | undefined;
    /** Log groups with their own limit, ms. */
    readonly logGroupsMs: Readonly<Record<string, number>>;
  };
  /** Real-user monitoring; undefined when the model has none (and in models applied before it existed). */
  readonly rum?: ResolvedRum;
}

/** Real-user monitoring from the app's pages, resolved. */
export interface ResolvedRum {
  /** The CORS allow-list of the OTLP receiver: origins (`scheme://host:port`), without a trailing slash. */
  readonly origins: readonly string[];
  /** `service.name` of the browser's spans. */
  readonly serviceName: string;
  /** Services whose tasks get the `SLIPWAY_RUM_*` variables for their pages. */
  readonly servedBy: readonly string[];
}
