import { TERMINAL_PIPELINE_STATUSES, type PipelineStatus, type ResolvedAction, type ResolvedStage } from '../../shared/index.js';
import type { KeptValue } from '../secrets/index.js';

export type { PipelineStatus };

/** What started a run. */
export type TriggerKind = 'poll' | 'webhook' | 'manual';

/** States after which nothing changes any more (until a retry). */
export const TERMINAL_STATUSES: ReadonlySet<PipelineStatus> = new Set(TERMINAL_PIPELINE_STATUSES);

/** Whether a run, stage or action state is final. */
export function isTerminal(status: PipelineStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * A stage as a run plans it: the app model's stage, or one slipway adds
 * (`hotfix-approval`: GitFlow's approval before production for `hotfix/*`).
 */
export type PlannedStage = ResolvedStage & { readonly synthetic?: 'hotfix-approval' };

/**
 * Pipeline variables by namespace: `SourceVariables`, then one per action that
 * exported some. A variable holding a secret is kept as references into the
 * secret store (see `keepValue`), never as its value.
 */
export type PipelineVariables = Readonly<Record<string, Readonly<Record<string, KeptValue>>>>;

/** Where a run stands: waiting to enter a stage, or in it. */
export interface RunPosition {
  /** Index into the run's plan; equal to the plan's length when every stage is done. */
  readonly stageIndex: number;
  readonly phase: 'waiting' | 'in';
}

/** A run as stored. */
export interface RunRecord {
  readonly id: number;
  readonly status: PipelineStatus;
  readonly trigger: TriggerKind;
  readonly ref: string | undefined;
  readonly branch: string | undefined;
  readonly commitSha: string;
  readonly commitMessage: string | undefined;
  readonly plan: readonly PlannedStage[];
  readonly position: RunPosition;
  readonly variables: PipelineVariables;
  /** The first artifact a build action of the run stored. */
  readonly artifact: string | undefined;
  /** The images the run's image actions pushed, by service: `<registry>/<repository>@sha256:…`. Deploy actions run exactly these. */
  readonly images: Readonly<Record<string, string>>;
  readonly reason: string | undefined;
  readonly createdAtMs: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
}

/** A stage of a run as stored. */
export interface StageRecord {
  readonly runId: number;
  readonly index: number;
  readonly name: string;
  readonly status: PipelineStatus;
  readonly attempt: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly reason: string | undefined;
}

/** An approval decision. */
export interface ApprovalDecision {
  readonly result: 'Approved' | 'Rejected';
  readonly by: string;
  readonly comment: string | undefined;
  readonly atMs: number;
}

/** An action of a run as stored (its latest attempt). */
export interface ActionRecord {
  readonly id: number;
  readonly runId: number;
  readonly stageIndex: number;
  readonly stageName: string;
  readonly name: string;
  readonly type: ResolvedAction['type'];
  readonly runOrder: number;
  readonly status: PipelineStatus;
  readonly attempt: number;
  /** The engine instance that runs the current attempt; another one finding it InProgress knows it was lost. */
  readonly owner: string | undefined;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  /** When the current attempt times out. */
  readonly deadlineMs: number | undefined;
  readonly reason: string | undefined;
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly output: Readonly<Record<string, unknown>>;
  readonly decision: ApprovalDecision | undefined;
}

/** How an action attempt ended. */
export interface ActionOutcome {
  readonly status: 'Succeeded' | 'Failed' | 'Stopped';
  readonly reason?: string;
  /** Merged into the action's stored output. */
  readonly output?: Readonly<Record<string, unknown>>;
  /** Exported variables, available as `#{<ActionName>.<VAR>}` to later actions; secrets in them kept as references. */
  readonly variables?: Readonly<Record<string, KeptValue>>;
  /** A stored artifact digest (build actions). */
  readonly artifact?: string;
  /** Images pushed, by service (image actions): merged into the run's `images`. */
  readonly images?: Readonly<Record<string, string>>;
}

/** The configuration of an action (what variables are resolved in), without name and scheduling fields. */
export function actionConfiguration(action: ResolvedAction): Record<string, unknown> {
  const { name: _n, runOrder: _r, timeoutMs: _t, retries: _x, ...rest } = action;
  return { ...rest };
}
