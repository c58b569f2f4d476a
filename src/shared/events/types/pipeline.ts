import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { nullableString } from './fields.js';

/** A pipeline run was created (subject `pipeline-run/<id>`). */
export const PIPELINE_RUN_STARTED = 'pipeline.run.started';
/** A restarted control plane picked up a run. */
export const PIPELINE_RUN_RESUMED = 'pipeline.run.resumed';
/** A failed run was retried from a stage. */
export const PIPELINE_RUN_RETRIED = 'pipeline.run.retried';
/** A waiting run was replaced by a newer one. */
export const PIPELINE_RUN_SUPERSEDED = 'pipeline.run.superseded';
/** A run finished with every stage done. */
export const PIPELINE_RUN_SUCCEEDED = 'pipeline.run.succeeded';
/** A run finished with a failed stage. */
export const PIPELINE_RUN_FAILED = 'pipeline.run.failed';
/** A run was stopped on request. */
export const PIPELINE_RUN_STOPPED = 'pipeline.run.stopped';
/** A stage began. */
export const PIPELINE_STAGE_STARTED = 'pipeline.stage.started';
/** A stage finished with every action done. */
export const PIPELINE_STAGE_SUCCEEDED = 'pipeline.stage.succeeded';
/** A stage failed. */
export const PIPELINE_STAGE_FAILED = 'pipeline.stage.failed';
/** A stage was stopped. */
export const PIPELINE_STAGE_STOPPED = 'pipeline.stage.stopped';
/** A stage was skipped by its entry condition. */
export const PIPELINE_STAGE_SKIPPED = 'pipeline.stage.skipped';
/** A failed stage is tried again. */
export const PIPELINE_STAGE_RETRIED = 'pipeline.stage.retried';
/** A failed stage's deploy action was rolled back to the last good run. */
export const PIPELINE_STAGE_ROLLED_BACK = 'pipeline.stage.rolled_back';
/** An action's attempt began. */
export const PIPELINE_ACTION_STARTED = 'pipeline.action.started';
/** A restarted control plane picked up an action that outlives it (approval, deploy). */
export const PIPELINE_ACTION_RESUMED = 'pipeline.action.resumed';
/** An action's attempt succeeded. */
export const PIPELINE_ACTION_SUCCEEDED = 'pipeline.action.succeeded';
/** An action's attempt failed. */
export const PIPELINE_ACTION_FAILED = 'pipeline.action.failed';
/** An action's attempt was stopped. */
export const PIPELINE_ACTION_STOPPED = 'pipeline.action.stopped';
/** An approval action waits for a decision. */
export const PIPELINE_APPROVAL_REQUESTED = 'pipeline.approval.requested';
/** An approval was approved. */
export const PIPELINE_APPROVAL_APPROVED = 'pipeline.approval.approved';
/** An approval was rejected. */
export const PIPELINE_APPROVAL_REJECTED = 'pipeline.approval.rejected';
/** An approval timed out. */
export const PIPELINE_APPROVAL_EXPIRED = 'pipeline.approval.expired';
/** A trigger refused to start a run (subject `pipeline-source/<ref>`). */
export const PIPELINE_TRIGGER_REFUSED = 'pipeline.trigger.refused';
/** A load test action measured its load and checked its thresholds. */
export const PIPELINE_LOADTEST_COMPLETED = 'pipeline.loadtest.completed';
/** A static analysis action read its findings. */
export const PIPELINE_ANALYSIS_COMPLETED = 'pipeline.analysis.completed';

const run = { runId: z.number().int() };
const stage = { ...run, stage: z.string() };
const action = { ...stage, action: z.string() };
const attempt = { ...action, type: z.string(), attempt: z.number().int() };
const ended = { commitSha: z.string(), branch: nullableString, durationMs: z.number(), reason: z.string().optional() };
const decided = { ...action, by: z.string(), comment: nullableString, atMs: z.number() };

/** The `pipeline.*` events of the pipeline engine; every run event carries `runId`. */
export const pipelineEvents = {
  [PIPELINE_RUN_STARTED]: eventSpec(
    'A run was created for a commit (its subject line in `commitMessage`), with the names of its stages.',
    z.object({ ...run, trigger: z.string(), ref: nullableString, branch: nullableString, commitSha: z.string(), commitMessage: z.string().nullable().optional(), stages: z.array(z.string()) }),
  ),
  [PIPELINE_RUN_RESUMED]: eventSpec('A restarted control plane goes on with a run, at `stage`.', z.object({ ...run, stage: nullableString })),
  [PIPELINE_RUN_RETRIED]: eventSpec('A failed run is tried again from `stage`.', z.object({ ...run, stage: nullableString })),
  [PIPELINE_RUN_SUPERSEDED]: eventSpec('A run waiting to enter `stage` was replaced by a newer run (superseded execution mode).', z.object({ ...stage, commitSha: z.string(), durationMs: z.number() })),
  [PIPELINE_RUN_SUCCEEDED]: eventSpec('A run finished: every stage succeeded or was skipped.', z.object({ ...run, ...ended })),
  [PIPELINE_RUN_FAILED]: eventSpec('A run finished failed; `reason` says which stage and why.', z.object({ ...run, ...ended })),
  [PIPELINE_RUN_STOPPED]: eventSpec('A run was stopped on request.', z.object({ ...run, ...ended })),
  [PIPELINE_STAGE_STARTED]: eventSpec('A stage began (its `attempt`, from 1).', z.object({ ...stage, attempt: z.number().int() })),
  [PIPELINE_STAGE_SUCCEEDED]: eventSpec('A stage finished with every action succeeded.', z.object({ ...stage, durationMs: z.number() })),
  [PIPELINE_STAGE_FAILED]: eventSpec('A stage failed (an action, or its entry condition); `reason` says why.', z.object({ ...stage, reason: z.string() })),
  [PIPELINE_STAGE_STOPPED]: eventSpec('A stage was stopped with its run.', z.object(stage)),
  [PIPELINE_STAGE_SKIPPED]: eventSpec('A stage was skipped: its entry condition named alarms in ALARM and says SKIP.', z.object({ ...stage, reason: z.string() })),
  [PIPELINE_STAGE_RETRIED]: eventSpec('A failed stage runs its failed actions again (`onFailure: RETRY`).', z.object({ ...stage, attempt: z.number().int(), reason: z.string().optional() })),
  [PIPELINE_STAGE_ROLLED_BACK]: eventSpec(
    'A failed stage (`onFailure: ROLLBACK`) redeployed the revision of the last run that passed it.',
    z.object({ ...action, environment: z.string(), toRevision: z.string(), toRunId: z.number().int(), result: z.string(), deploymentIds: z.array(z.string()) }),
  ),
  [PIPELINE_ACTION_STARTED]: eventSpec('An attempt of an action began.', z.object(attempt)),
  [PIPELINE_ACTION_RESUMED]: eventSpec('A restarted control plane picked up an approval or deploy action where it was.', z.object(attempt)),
  [PIPELINE_ACTION_SUCCEEDED]: eventSpec(
    'An attempt of an action succeeded; a build names the `artifact` digest it stored, an image action the `images` it pushed (service → `registry/repository@sha256:…`).',
    z.object({ ...attempt, durationMs: z.number(), artifact: z.string().optional(), images: z.record(z.string(), z.string()).optional() }),
  ),
  [PIPELINE_ACTION_FAILED]: eventSpec(
    'An attempt of an action failed; `retrying` when another attempt follows.',
    z.object({ ...attempt, durationMs: z.number().optional(), reason: z.string(), retrying: z.boolean().optional() }),
  ),
  [PIPELINE_ACTION_STOPPED]: eventSpec('An attempt of an action was stopped (the run was cancelled, or it timed out).', z.object({ ...attempt, durationMs: z.number(), reason: z.string(), retrying: z.boolean().optional() })),
  [PIPELINE_APPROVAL_REQUESTED]: eventSpec('An approval action waits for a decision until `expiresAtMs` (null: no timeout).', z.object({ ...action, expiresAtMs: z.number().nullable() })),
  [PIPELINE_APPROVAL_APPROVED]: eventSpec('Someone approved an approval action.', z.object(decided)),
  [PIPELINE_APPROVAL_REJECTED]: eventSpec('Someone rejected an approval action.', z.object(decided)),
  [PIPELINE_APPROVAL_EXPIRED]: eventSpec('An approval action got no decision within `timeoutMs`.', z.object({ ...action, timeoutMs: z.number() })),
  [PIPELINE_TRIGGER_REFUSED]: eventSpec(
    'A trigger did not start a run: the source\'s head is not a descendant of the one last seen (`reason`).',
    z.object({ trigger: z.string(), ref: z.string(), commitSha: z.string(), recordedHead: nullableString, reason: z.string(), message: z.string() }),
  ),
  [PIPELINE_LOADTEST_COMPLETED]: eventSpec(
    'A load test action finished its load against `environment`: the figures (latency percentiles in ms, `errorRate` 0–1) and whether every threshold held; `breaches` names each one that did not.',
    z.object({
      ...action,
      environment: z.string(),
      requests: z.number().int(),
      errors: z.number().int(),
      errorRate: z.number(),
      ratePerSecond: z.number(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
      p99Ms: z.number().nullable(),
      maxMs: z.number().nullable(),
      passed: z.boolean(),
      breaches: z.array(z.string()),
    }),
  ),
  [PIPELINE_ANALYSIS_COMPLETED]: eventSpec(
    'A static analysis action read its findings (`tool`: the SARIF driver, e.g. ESLint): counts by SARIF level and whether none reached `failOn`.',
    z.object({ ...action, tool: z.string(), error: z.number().int(), warning: z.number().int(), note: z.number().int(), failOn: z.string(), passed: z.boolean() }),
  ),
} as const;
