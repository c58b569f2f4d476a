// The deployment API's answers. No zod here: the dashboard imports this file, and describeDeploymentStep is a value.
import type { HookName, ResolvedStrategy } from '../app-model/resolved.js';
import type { DeploymentStateName } from './deployments.js';
import type { ShadowRunDto } from './shadow-dto.js';

/**
 * One step of a rollout plan, as computed from the strategy when the deployment was created.
 * `shadow` mirrors requests to the new revision and compares its answers with the old one's.
 * `wait` holds for `durationMs`: an interval between traffic steps (`analysis`: the new
 * revision is judged at its end), a blue/green bake, or the time the old revision is kept.
 */
export type DeploymentPlanStep =
  | { readonly type: 'hook'; readonly hook: HookName }
  | { readonly type: 'start'; readonly desiredCount: number }
  | { readonly type: 'scale'; readonly revision: 'new' | 'old'; readonly desiredCount: number }
  | { readonly type: 'testTraffic'; readonly enabled: boolean }
  | { readonly type: 'traffic'; readonly newPercent: number }
  /** Mirror `percent` of the requests to the new revision for `durationMs` and compare its answers (it gets no real traffic). */
  | { readonly type: 'shadow'; readonly percent: number; readonly durationMs: number }
  | { readonly type: 'wait'; readonly durationMs: number; readonly analysis: boolean; readonly phase: 'InProgress' | 'Baking'; readonly purpose: 'interval' | 'bake' | 'keepOld' }
  | { readonly type: 'retireOld' };

/** Where a step of a deployment stands: the plan joined with when each step ran. */
export type DeploymentStepStatus = 'Pending' | 'InProgress' | 'Paused' | 'Succeeded' | 'Stopped' | 'Skipped';

/** One step of a deployment as the API shows it (`steps` of {@link DeploymentDto}). */
export interface DeploymentStepDto {
  /** Position in the plan, from 0. */
  readonly index: number;
  readonly type: DeploymentPlanStep['type'];
  /** One human line, e.g. "Shift 25% to the new revision". */
  readonly description: string;
  /** The new revision's share of traffic this step sets (traffic steps only), else null. */
  readonly weightPercent: number | null;
  readonly status: DeploymentStepStatus;
  readonly startedAtMs: number | null;
  readonly completedAtMs: number | null;
}

/** When one step of the plan started and completed. */
export interface DeploymentStepRecordDto {
  readonly index: number;
  readonly type: DeploymentPlanStep['type'];
  readonly startedAtMs: number;
  readonly completedAtMs: number | null;
}

/** Traffic figures of one revision over an analysis window. */
export interface RevisionMeasurementDto {
  readonly requestCount: number;
  /** 5xx answered by the revision's tasks. */
  readonly target5xxCount: number;
  /** 5xx the router made for this revision (no healthy target, connection failures, timeouts). */
  readonly elb5xxCount: number;
  /** p99 response time over the window in ms, or null without samples. */
  readonly p99Ms: number | null;
}

/** One analysis run of a canary or linear deployment. */
export interface AnalysisRunDto {
  /** The plan step it judged, from 0. */
  readonly stepIndex: number;
  readonly verdict: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  readonly reasons: readonly string[];
  /** What it measured for the new (canary) and the old (stable) revision; null when it could not measure. */
  readonly measurements: { readonly windowMs: number; readonly canary: RevisionMeasurementDto; readonly stable: RevisionMeasurementDto | null } | null;
  readonly atMs: number;
}

/** The outcome of one lifecycle hook. */
export interface HookResultDto {
  readonly hook: HookName;
  readonly result: 'Succeeded' | 'Failed';
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly httpStatus: number | null;
  readonly message: string;
  readonly atMs: number;
}

/** A rollback that was decided and is being (or was) carried out. */
export interface RollbackDto {
  readonly reason: string;
  readonly trigger: 'alarm' | 'health' | 'hook' | 'analysis' | 'shadow' | 'abort' | 'error';
  readonly requestedAtMs: number;
  /** State the deployment ends in. */
  readonly finalState: 'RolledBack' | 'Stopped' | 'Failed';
  /** Time from the trigger to the router confirming all traffic on the old revision, ms. */
  readonly rollbackMs: number | null;
}

/**
 * A deployment as `GET /api/v1/deployments`, `POST /api/v1/deployments` and the control verbs
 * return it. The tasks' environment variables and source directories are not part of it.
 */
export interface DeploymentDto {
  readonly id: number;
  /** `Rollback` for the redeployment of the revision a deployment replaced. */
  readonly kind: 'Deploy' | 'Rollback';
  readonly service: string;
  readonly environment: string;
  /** The revision serving traffic when it started; null for a first deployment. */
  readonly fromRevision: string | null;
  readonly toRevision: string;
  /** The image the new revision runs (`<registry>/<repository>@sha256:…` from an image action, or a build's `imagedefinitions.json`); null when it is built from the source or runs as processes. */
  readonly image: string | null;
  /** The secret versions the new revision's tasks get, name → version (never values). */
  readonly secrets: Readonly<Record<string, number>>;
  /** The secret versions the old revision's tasks had. */
  readonly fromSecrets: Readonly<Record<string, number>>;
  readonly strategy: ResolvedStrategy;
  /** Tasks of each revision at full size. */
  readonly desiredCount: number;
  readonly state: DeploymentStateName;
  /** The step under way (equal to the plan's length once every step ran). */
  readonly stepIndex: number;
  readonly plan: readonly DeploymentPlanStep[];
  readonly stepHistory: readonly DeploymentStepRecordDto[];
  /** The plan joined with its history, one entry per step, for display. */
  readonly steps: readonly DeploymentStepDto[];
  /** Share of traffic per revision as last set by this deployment. */
  readonly weights: Readonly<Record<string, number>>;
  readonly pausedReason: string | null;
  /** Who paused: a user, or the analysis (an Inconclusive verdict). */
  readonly pausedBy: 'user' | 'analysis' | null;
  /** The last error a tick ran into (cleared by the next successful tick). */
  readonly message: string | null;
  readonly rollback: RollbackDto | null;
  readonly analysisRuns: readonly AnalysisRunDto[];
  /** The verdicts of the shadow steps, each with the router's comparison report. */
  readonly shadowRuns: readonly ShadowRunDto[];
  readonly hooks: readonly HookResultDto[];
  /** The approval an environment with `requiresApproval` asked for; null elsewhere. */
  readonly approval: ApprovalDto | null;
  /** For a `Rollback`, the deployment it undoes. */
  readonly rollbackOf: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly finishedAtMs: number | null;
}

/** A deployment's approval: asked for when it was created, decided by a person. */
export interface ApprovalDto {
  readonly status: 'Pending' | 'Approved' | 'Rejected';
  readonly requestedAtMs: number;
  readonly decidedAtMs: number | null;
  /** Who approved or rejected. */
  readonly by: string | null;
  /** Why, as given with the decision. */
  readonly comment: string | null;
}

/** One line of output kept with a deployment (a hook's stdout, say). */
export interface DeployLogLineDto {
  readonly seq: number;
  readonly timeMs: number;
  /** What wrote it, e.g. `hook:AfterInstall`. */
  readonly source: string;
  readonly text: string;
}

/** `GET /api/v1/deployments/:id`: the deployment and its log. */
export interface DeploymentDetailDto extends DeploymentDto {
  readonly logs: readonly DeployLogLineDto[];
}

/** `GET /api/v1/deployments`, newest first. */
export interface DeploymentListDto {
  readonly deployments: readonly DeploymentDto[];
}

/** One human line for a step of a plan. */
export function describeDeploymentStep(step: DeploymentPlanStep): string {
  switch (step.type) {
    case 'hook':
      return `Hook ${step.hook}`;
    case 'start':
      return `Start ${step.desiredCount} task(s) of the new revision`;
    case 'scale':
      return `Scale the ${step.revision} revision to ${step.desiredCount}`;
    case 'testTraffic':
      return step.enabled ? 'Route test traffic to the new revision' : 'Remove test traffic';
    case 'traffic':
      return `Shift ${step.newPercent}% to the new revision`;
    case 'shadow':
      return `Mirror ${step.percent}% of requests to the new revision for ${Math.round(step.durationMs / 100) / 10} s and compare`;
    case 'wait': {
      const what = step.purpose === 'interval' ? 'Wait' : step.purpose === 'bake' ? 'Bake' : 'Keep the old revision';
      return `${what} ${Math.round(step.durationMs / 100) / 10} s${step.analysis ? ' with analysis' : ''}`;
    }
    case 'retireOld':
      return 'Stop the old revision';
  }
}
