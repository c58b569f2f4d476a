import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** A plan was made (subject `iac-plan/<id>`): the change set between an app model and the live state. */
export const IAC_PLAN_CREATED = 'iac.plan.created';
/** An apply of a plan started for one scope (an environment, or the app-wide resources). */
export const IAC_APPLY_STARTED = 'iac.apply.started';
/** One change of a plan is live. */
export const IAC_CHANGE_APPLIED = 'iac.change.applied';
/** Every change of a scope is live; the scope's applied model is the plan's. */
export const IAC_APPLY_SUCCEEDED = 'iac.apply.succeeded';
/** An apply stopped at a change that failed; which changes were applied and which were rolled back. */
export const IAC_APPLY_FAILED = 'iac.apply.failed';
/** The live system differs from the applied model (subject `iac-drift/<environment>`). */
export const IAC_DRIFT_DETECTED = 'iac.drift.detected';
/** A drift was reverted to the applied model (`selfHeal`). */
export const IAC_DRIFT_HEALED = 'iac.drift.healed';
/** A drift that was reported is gone (healed, or undone by hand). */
export const IAC_DRIFT_RESOLVED = 'iac.drift.resolved';
/** A deliberate manual change was recorded as an override: drift detection leaves it alone until it expires. */
export const IAC_OVERRIDE_RECORDED = 'iac.override.recorded';
/** An override ended: it expired, or it was cleared. */
export const IAC_OVERRIDE_ENDED = 'iac.override.ended';

const value = z.unknown().optional();
const attributeChange = z.object({ path: z.string(), old: value, new: value, effect: z.enum(['in-place', 'rolling', 'replacement']) });
/** One change of a change set, as plans and events carry it. */
export const changeSchema = z.object({
  resourceId: z.string(),
  type: z.enum(['environment', 'service', 'listener', 'alarm', 'topic', 'pipeline', 'flag', 'oncall']),
  action: z.enum(['Add', 'Modify', 'Remove']),
  effect: z.enum(['in-place', 'rolling', 'replacement']),
  attributes: z.array(attributeChange),
  order: z.number().int(),
});
const driftSchema = z.object({ kind: z.string(), resourceId: z.string(), message: z.string(), expected: value, actual: value });

/** The `iac.*` events: plans, applies (change by change), drift and overrides. */
export const iacEvents = {
  [IAC_PLAN_CREATED]: eventSpec(
    'A plan was made: its change set (`changes` in apply order, `destructive` reasons) against the live state with `liveFingerprint`, for a commit (`commit`) or a working tree, by a pipeline run (`runId`) or a person.',
    z.object({
      planId: z.number().int(),
      commit: z.string().nullable(),
      runId: z.number().int().nullable(),
      changes: z.array(changeSchema),
      destructive: z.array(z.string()),
      liveFingerprint: z.string(),
    }),
  ),
  [IAC_APPLY_STARTED]: eventSpec(
    'An apply of a plan started for one `scope` (`env/<name>` or `app`, the app-wide resources): the ids of the changes it will apply, in order.',
    z.object({ applyId: z.number().int(), planId: z.number().int(), scope: z.string(), changes: z.array(z.string()) }),
  ),
  [IAC_CHANGE_APPLIED]: eventSpec('One change of a plan is live in the running system.', z.object({ applyId: z.number().int(), planId: z.number().int(), scope: z.string(), change: changeSchema })),
  [IAC_APPLY_SUCCEEDED]: eventSpec(
    'Every change of the scope is live: the scope runs the plan\'s model (`commit`).',
    z.object({ applyId: z.number().int(), planId: z.number().int(), scope: z.string(), commit: z.string().nullable(), applied: z.array(z.string()) }),
  ),
  [IAC_APPLY_FAILED]: eventSpec(
    'An apply stopped at the change `failed` (`error` says why): `applied` were live before it, `rolledBack` of them were reverted, `kept` could not be; the scope keeps its previous model.',
    z.object({
      applyId: z.number().int(),
      planId: z.number().int(),
      scope: z.string(),
      failed: z.string(),
      error: z.string(),
      applied: z.array(z.string()),
      rolledBack: z.array(z.string()),
      kept: z.array(z.string()),
    }),
  ),
  [IAC_DRIFT_DETECTED]: eventSpec('The live system of an environment differs from its applied model: one entry per difference (`kind`, the resource, expected and actual).', z.object({ environment: z.string(), drifts: z.array(driftSchema) })),
  [IAC_DRIFT_HEALED]: eventSpec('A drift was reverted to the applied model (`selfHeal`): what was done.', z.object({ environment: z.string(), drift: driftSchema, action: z.string() })),
  [IAC_DRIFT_RESOLVED]: eventSpec('A drift that was reported is gone: the live system matches the applied model again.', z.object({ environment: z.string(), kind: z.string(), resourceId: z.string() })),
  [IAC_OVERRIDE_RECORDED]: eventSpec(
    'A deliberate manual change (a rollback, a traffic shift, an incident mitigation) was recorded as an override of a resource: drift detection reports and heals nothing on it until `expiresAt`.',
    z.object({ overrideId: z.number().int(), environment: z.string(), resourceId: z.string(), reason: z.string(), by: z.string(), expiresAt: z.string() }),
  ),
  [IAC_OVERRIDE_ENDED]: eventSpec('An override ended (`expired` or `cleared`).', z.object({ overrideId: z.number().int(), environment: z.string(), resourceId: z.string(), how: z.enum(['expired', 'cleared']) })),
} as const;
