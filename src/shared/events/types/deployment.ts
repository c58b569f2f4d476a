import { z } from 'zod';
import { DEPLOYMENT_STATES } from '../../api/deployments.js';
import { eventSpec } from '../spec.js';
import { nullableString, weightsSchema } from './fields.js';

/** A deployment was requested (subject `deployment/<id>`). */
export const DEPLOYMENT_CREATED = 'deployment.created';
/** A deployment's first step began. */
export const DEPLOYMENT_STARTED = 'deployment.started';
/** A step of a deployment's plan began. */
export const DEPLOYMENT_STEP_STARTED = 'deployment.step.started';
/** A step of a deployment's plan finished. */
export const DEPLOYMENT_STEP_COMPLETED = 'deployment.step.completed';
/** A deployment moved traffic between revisions. */
export const DEPLOYMENT_TRAFFIC_SHIFTED = 'deployment.traffic.shifted';
/** A deployment resized a revision. */
export const DEPLOYMENT_TASKS_SCALED = 'deployment.tasks.scaled';
/** A blue/green deployment's test listener was pointed at (or away from) the new revision. */
export const DEPLOYMENT_TEST_TRAFFIC_CHANGED = 'deployment.test_traffic.changed';
/** A lifecycle hook of a deployment finished. */
export const DEPLOYMENT_HOOK_COMPLETED = 'deployment.hook.completed';
/** An analysis run of a deployment reached a verdict. */
export const DEPLOYMENT_ANALYSIS_COMPLETED = 'deployment.analysis.completed';
/** A shadow step of a deployment ended: the mirrored answers were compared and judged. */
export const DEPLOYMENT_SHADOW_COMPLETED = 'deployment.shadow.completed';
/** The old revision of a deployment was stopped. */
export const DEPLOYMENT_REVISION_RETIRED = 'deployment.revision.retired';
/** A deployment was paused. */
export const DEPLOYMENT_PAUSED = 'deployment.paused';
/** A paused deployment was resumed. */
export const DEPLOYMENT_RESUMED = 'deployment.resumed';
/** A paused deployment was promoted to its last step. */
export const DEPLOYMENT_PROMOTED = 'deployment.promoted';
/** A deployment began rolling back. */
export const DEPLOYMENT_ROLLBACK_STARTED = 'deployment.rollback.started';
/** A deployment finished rolling back. */
export const DEPLOYMENT_ROLLED_BACK = 'deployment.rolled_back';
/** A deployment completed every step. */
export const DEPLOYMENT_SUCCEEDED = 'deployment.succeeded';
/** A deployment failed with nothing to roll back to. */
export const DEPLOYMENT_FAILED = 'deployment.failed';
/** A deployment into an environment with `requiresApproval` waits for a person. */
export const DEPLOYMENT_APPROVAL_REQUESTED = 'deployment.approval.requested';
/** A waiting deployment was approved. */
export const DEPLOYMENT_APPROVED = 'deployment.approved';
/** A waiting deployment was rejected: it ends without touching traffic. */
export const DEPLOYMENT_REJECTED = 'deployment.rejected';
/** A deployment that never started (it was waiting for its approval) was aborted. */
export const DEPLOYMENT_STOPPED = 'deployment.stopped';

/** A deployment's fields as every `deployment.*` event carries them. */
const base = {
  deploymentId: z.number().int(),
  kind: z.enum(['Deploy', 'Rollback']),
  service: z.string(),
  environment: z.string(),
  /** Null for a service's first deployment. */
  fromRevision: nullableString,
  toRevision: z.string(),
  state: z.enum(DEPLOYMENT_STATES),
  stepIndex: z.number().int(),
  weights: weightsSchema,
  /** Why it happened, in words; null when there is nothing to say. */
  reason: nullableString,
  /**
   * The commits the deployment delivered, when its writer knows them (DORA reads them before asking git).
   * slipway's own deployment engine does not set it.
   */
  commits: z.array(z.object({ sha: z.string(), committedAtMs: z.number() })).optional(),
};

/** The names of the fields every `deployment.*` event carries, filled in by the deployment recorder. */
export type DeploymentBaseField = Exclude<keyof typeof base, 'reason' | 'commits'>;

const plan = z.array(z.unknown());
const taskCounts = z.record(z.string(), z.unknown());

/** The first version wrote the deployment's id as `id`; today it is `deploymentId`. */
function upgradeDeployment(data: Readonly<Record<string, unknown>>, subject: string): Readonly<Record<string, unknown>> {
  if (data.deploymentId !== undefined) return data;
  const raw = data.id ?? /^deployment\/(\d+)$/.exec(subject)?.[1];
  const id = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  const { id: _old, ...rest } = data;
  return id === undefined ? data : { ...rest, deploymentId: id };
}

const spec = <S extends z.ZodRawShape>(doc: string, extra: S) => eventSpec(doc, z.object({ ...base, ...extra }), upgradeDeployment);

/** The `deployment.*` events the deployment engine appends; each carries the deployment's own fields too. */
export const deploymentEvents = {
  [DEPLOYMENT_CREATED]: spec('A deployment was requested with its strategy and planned steps.', { strategy: z.string(), plan }),
  [DEPLOYMENT_STARTED]: spec('The reconciler began a deployment.', { strategy: z.string(), plan }),
  [DEPLOYMENT_STEP_STARTED]: spec('A step of the plan began (`step` as planned).', { step: z.unknown() }),
  [DEPLOYMENT_STEP_COMPLETED]: spec('A step of the plan finished (`index` into the plan).', { step: z.unknown(), index: z.number().int() }),
  [DEPLOYMENT_TRAFFIC_SHIFTED]: spec('The router serves new weights (`from` → `to`); a rollback adds how long restoring traffic took.', {
    from: weightsSchema,
    to: weightsSchema,
    routerVersion: z.number().optional(),
    tasks: taskCounts.optional(),
    confirmed: z.boolean().optional(),
    rollbackMs: z.number().optional(),
    phases: z.record(z.string(), z.number()).optional(),
    trafficRestoredAtMs: z.number().optional(),
  }),
  [DEPLOYMENT_TASKS_SCALED]: spec('A revision of the deployment was resized to `desiredCount`.', { revision: nullableString, desiredCount: z.number().int(), tasks: taskCounts }),
  [DEPLOYMENT_TEST_TRAFFIC_CHANGED]: spec('The blue/green test listener now routes to the new revision (`enabled`) or to nothing.', { enabled: z.boolean(), testUrl: z.string().nullable().optional() }),
  [DEPLOYMENT_HOOK_COMPLETED]: spec('A lifecycle hook (`BeforeInstall`, `AfterAllowTestTraffic`, …) finished with its result.', {
    hook: z.string(),
    result: z.string(),
    durationMs: z.number(),
    exitCode: z.number().int().nullable().optional(),
    httpStatus: z.number().int().nullable().optional(),
  }),
  [DEPLOYMENT_ANALYSIS_COMPLETED]: spec('An analysis run reached a verdict (`Successful | Failed | Inconclusive | Error`) and the deployment\'s outcome of it.', {
    verdict: z.enum(['Successful', 'Failed', 'Inconclusive', 'Error']),
    outcome: z.string(),
    /** What the analysis measured of each revision; null when nothing could be measured. */
    measurements: z.unknown(),
  }),
  [DEPLOYMENT_SHADOW_COMPLETED]: spec(
    'A shadow step ended: the new revision\'s answers to mirrored requests were compared with the old one\'s. `passed` with `verdict` (`Successful | Failed | Inconclusive | Error`), the deployment\'s `outcome` (`continue`, `rollback`, `pause`), counts, the differing fields and latency; the whole report is in the deployment\'s `shadowRuns`.',
    {
      verdict: z.enum(['Successful', 'Failed', 'Inconclusive', 'Error']),
      outcome: z.enum(['continue', 'rollback', 'pause']),
      passed: z.boolean(),
      /** The router's comparison id (`GET /admin/shadow/:id`). */
      shadowId: z.string(),
      compared: z.number().int(),
      differing: z.number().int(),
      differingPercent: z.number().nullable(),
      /** Count per differing field: `status`, `headers.<name>`, `body` or a JSON path. */
      fields: z.record(z.string(), z.number()),
      latency: z.unknown(),
    },
  ),
  [DEPLOYMENT_REVISION_RETIRED]: spec('The revision the deployment replaced was stopped (`revision` null for a first deployment).', { revision: nullableString }),
  [DEPLOYMENT_PAUSED]: spec('The deployment is paused (a pause step, an inconclusive analysis, or a user).', {}),
  [DEPLOYMENT_RESUMED]: spec('A paused deployment goes on (a user, or a restarted control plane).', {}),
  [DEPLOYMENT_PROMOTED]: spec('A user promoted the deployment: the rest of its plan is skipped to full traffic.', { plan }),
  [DEPLOYMENT_ROLLBACK_STARTED]: spec('The deployment began rolling back: `trigger` is `alarm`, `analysis`, `hook`, `abort`, …; `alarms` the alarms that fired.', {
    trigger: z.string(),
    alarms: z.array(z.string()).optional(),
  }),
  [DEPLOYMENT_ROLLED_BACK]: spec('The deployment finished rolling back: traffic is on the old revision; `rollbackMs` how long that took.', {
    trigger: z.string(),
    rollbackMs: z.number().nullable().optional(),
  }),
  [DEPLOYMENT_SUCCEEDED]: spec('Every step completed; the new revision serves all traffic. `unchanged`: the revision already served everything, nothing moved.', {
    durationMs: z.number().optional(),
    unchanged: z.boolean().optional(),
  }),
  [DEPLOYMENT_FAILED]: spec('The deployment failed and there was no previous revision to roll back to.', { trigger: z.string().optional() }),
  [DEPLOYMENT_APPROVAL_REQUESTED]: spec('The environment requires an approval: the deployment waits (`AwaitingApproval`) and touches nothing until one is recorded.', {}),
  [DEPLOYMENT_APPROVED]: spec('A person approved the waiting deployment (`by`, `comment`); its plan runs.', { by: z.string(), comment: nullableString }),
  [DEPLOYMENT_REJECTED]: spec('A person rejected the waiting deployment (`by`, `comment`); it ends `Rejected`, traffic untouched.', { by: z.string(), comment: nullableString }),
  [DEPLOYMENT_STOPPED]: spec('A deployment waiting for its approval was aborted before it changed anything.', {}),
} as const;

/** Every `deployment.*` type of the catalog. */
export const DEPLOYMENT_EVENT_TYPES = Object.keys(deploymentEvents) as (keyof typeof deploymentEvents)[];
