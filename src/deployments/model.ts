import { TERMINAL_DEPLOYMENT_STATES, type ApprovalDto, type DeploymentPlanStep, type DeploymentStateName, type DeploymentStepRecordDto, type HookResultDto, type ResolvedStrategy, type RollbackDto, type ShadowRunDto } from '../shared/index.js';

/** Phases of a deployment; the same words in the API, the database and the UI (`DEPLOYMENT_STATES` in src/shared). */
export type DeploymentState = DeploymentStateName;

// The lists live in src/shared because the dashboard needs them too.
export { ACTIVE_DEPLOYMENT_STATES, TERMINAL_DEPLOYMENT_STATES } from '../shared/index.js';

/** Whether a deployment in this state is finished. */
export function isTerminal(state: DeploymentState): boolean {
  return TERMINAL_DEPLOYMENT_STATES.includes(state);
}

/** A deployment of a new revision, or the redeployment of the previous one (`Rollback`). */
export type DeploymentKind = 'Deploy' | 'Rollback';

/** Verdict of one analysis run. */
export type AnalysisVerdict = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/**
 * One step of a rollout plan. Plans are pure data computed once from the
 * strategy when the deployment is created, and persisted with it; the API
 * shows them as they are, so the type lives in src/shared.
 */
export type DeploymentStep = DeploymentPlanStep;

/** Compiled analysis of a canary or linear deployment. */
export interface AnalysisConfig {
  /** Highest share of 5xx answers of the new revision, in percent. @default unchecked */
  readonly maxErrorRatePercent: number | undefined;
  /** Highest excess of the new revision's error rate over the stable one's, in percentage points. @default unchecked */
  readonly maxErrorRateIncreasePercent: number | undefined;
  /** Highest p99 latency of the new revision in ms. @default unchecked */
  readonly maxLatencyP99Ms: number | undefined;
  /** Highest ratio of the new revision's p99 to the stable one's. @default unchecked */
  readonly maxLatencyP99Ratio: number | undefined;
  /** Fewer requests to the new revision in a run make the verdict Inconclusive. @default 10 */
  readonly minRequestCount: number;
  /** Failed runs tolerated before the deployment rolls back. @default 0 */
  readonly failureLimit: number;
  /** Inconclusive runs tolerated before the deployment pauses. @default 0 */
  readonly inconclusiveLimit: number;
}

/** What one analysis run measured over its window, for the new (canary) and the old (stable) revision. */
export interface Measurements {
  readonly windowMs: number;
  readonly canary: RevisionMeasurement;
  readonly stable: RevisionMeasurement | undefined;
}

/** Traffic figures of one revision over an analysis window. */
export interface RevisionMeasurement {
  readonly requestCount: number;
  /** 5xx answered by the revision's tasks. */
  readonly target5xxCount: number;
  /** 5xx the router made for this revision (no healthy target, connection failures, timeouts). */
  readonly elb5xxCount: number;
  /** p99 response time over the window in ms, or null without samples. */
  readonly p99Ms: number | null;
}

/** One analysis run, as recorded in the deployment. */
export interface AnalysisRun {
  readonly stepIndex: number;
  readonly verdict: AnalysisVerdict;
  readonly reasons: readonly string[];
  readonly measurements: Measurements | null;
  readonly atMs: number;
}

/** The verdict of one shadow step with the router's report (stored as the API shows it: one definition). */
export type ShadowRun = ShadowRunDto;

/** The outcome of one lifecycle hook (stored as the API shows it: one definition). */
export type HookResult = HookResultDto;

/** Cumulative router counters of a revision's target group at a point in time. */
export interface CounterSample {
  readonly requestCount: number;
  readonly target5xxCount: number;
  readonly elb5xxCount: number;
}

/** When one step of the plan ran (stored as the API shows it: one definition). */
export type StepRecord = DeploymentStepRecordDto;

/** A rollback that was decided and is being (or was) carried out (stored as the API shows it: one definition). */
export type RollbackRecord = RollbackDto;

/** The approval an environment with `requiresApproval` asks of a deployment before it starts (stored as the API shows it: one definition). */
export type ApprovalRecord = ApprovalDto;

/**
 * A deployment and its whole status: the reconciler's only memory. Every
 * transition rewrites it and appends an event.
 */
export interface Deployment {
  readonly id: number;
  readonly kind: DeploymentKind;
  readonly service: string;
  readonly environment: string;
  /** The revision serving traffic when the deployment started; null for a first deployment. */
  readonly fromRevision: string | null;
  readonly fromSourceDir: string | null;
  readonly fromEnv: Readonly<Record<string, string>>;
  /** The secret versions the old revision's tasks had (name → version). @default {} (recorded before versions were pinned) */
  readonly fromSecrets?: Readonly<Record<string, number>>;
  readonly toRevision: string;
  readonly sourceDir: string;
  /** The image the new revision runs (container services), when the request named one. @default built from `sourceDir` */
  readonly image?: string;
  /** Extra environment variables of the new revision's tasks. */
  readonly env: Readonly<Record<string, string>>;
  /** The secret versions the new revision's tasks get (name → version; never values). @default {} (recorded before versions were pinned) */
  readonly secrets?: Readonly<Record<string, number>>;
  readonly strategy: ResolvedStrategy;
  readonly analysis: AnalysisConfig | undefined;
  /** Tasks of each revision at full size. */
  readonly desiredCount: number;
  readonly plan: readonly DeploymentStep[];
  readonly state: DeploymentState;
  readonly stepIndex: number;
  /** Whether the current step's action was applied (its gate may still be pending). */
  readonly stepActed: boolean;
  readonly stepStartedAtMs: number | null;
  /** Share of traffic per revision as last set by this deployment. */
  readonly weights: Readonly<Record<string, number>>;
  readonly pausedReason: string | null;
  /** Who paused: a user (resume restarts the current wait) or the analysis (resume accepts the step and goes on). */
  readonly pausedBy: 'user' | 'analysis' | null;
  /** When each step started and completed. */
  readonly stepHistory: readonly StepRecord[];
  /** The last error a tick ran into (cleared by the next successful tick). */
  readonly message: string | null;
  readonly rollback: RollbackRecord | null;
  readonly analysisRuns: readonly AnalysisRun[];
  /** The shadow steps' verdicts and reports. @default [] (recorded before shadow steps existed) */
  readonly shadowRuns?: readonly ShadowRun[];
  readonly hooks: readonly HookResult[];
  /** Counters at the start of the current analysis window, per revision. */
  readonly baseline: Readonly<Record<string, CounterSample>> | null;
  readonly baselineAtMs: number | null;
  readonly failedRuns: number;
  readonly inconclusiveRuns: number;
  /** The approval it waits for (or got); absent when its environment requires none. */
  readonly approval?: ApprovalRecord;
  /** For a `Rollback`, the deployment it undoes. */
  readonly rollbackOf: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly finishedAtMs: number | null;
}

/** The event subject of a deployment. */
export function deploymentSubject(id: number): string {
  return `deployment/${id}`;
}
