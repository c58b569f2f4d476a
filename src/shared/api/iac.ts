// Infrastructure as code as the API returns it: resources, changes and change sets (`slipway plan`, a run's plan stage, `synth aws --diff`).
import { z } from 'zod';
import { durationMessage, tryParseDuration } from '../app-model/duration.js';
/** The kinds of resource slipway runs, one per kind of thing a plan can change. */
export type ResourceType = 'environment' | 'service' | 'listener' | 'alarm' | 'topic' | 'pipeline' | 'flag' | 'oncall';

/** A JSON value an attribute may hold. */
export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

/**
 * One resource, live or desired, with a stable id (`env/staging`, `service/staging/web`,
 * `listener/staging`, `alarm/web-5xx`, `topic/oncall`, `pipeline/main`).
 */
export interface Resource {
  readonly id: string;
  readonly type: ResourceType;
  /** The resource's attributes; nested objects give dotted attribute paths (`scaling.min`). */
  readonly attributes: { readonly [key: string]: AttributeValue };
  /** Ids of the resources this one needs to exist first. */
  readonly dependsOn: readonly string[];
}

/** What a change does to a resource, as in a CloudFormation change set. */
export type ChangeAction = 'Add' | 'Modify' | 'Remove';

/**
 * How a change reaches the running system: `in-place` (scaling, an alarm threshold: no task
 * restarts), `rolling` (env, secrets, start command: a deployment with the environment's
 * strategy), `replacement` (a port or ingress change that drops connections).
 */
export type ChangeEffect = 'in-place' | 'rolling' | 'replacement';

/** One attribute that differs: its dotted path and the values before and after. */
export interface AttributeChange {
  readonly path: string;
  /** undefined when the attribute did not exist. */
  readonly old: AttributeValue | undefined;
  /** undefined when the attribute goes away. */
  readonly new: AttributeValue | undefined;
  readonly effect: ChangeEffect;
}

/** One change of a change set. */
export interface Change {
  readonly resourceId: string;
  readonly type: ResourceType;
  readonly action: ChangeAction;
  /** The strongest effect of its attribute changes (`replacement` > `rolling` > `in-place`). */
  readonly effect: ChangeEffect;
  /** Attribute paths with old → new; every attribute for Add and Remove. */
  readonly attributes: readonly AttributeChange[];
  /** Position in the apply order, from 1. */
  readonly order: number;
}

/** The difference between a desired and a live state, in apply order. */
export interface ChangeSet {
  readonly changes: readonly Change[];
  /** Why the plan destroys something that needs `--allow-destroy`; empty when it does not. */
  readonly destructive: readonly string[];
  /** Fingerprint of the live state the plan was computed against. */
  readonly liveFingerprint: string;
}

/** `POST /api/v1/iac/plans`: an app definition (as `slipway plan` reads it from a working tree or a ref) to plan. */
export const createPlanBodySchema = z.strictObject({
  /** The app definition, unvalidated: the plan validates it as `slipway validate` does. */
  definition: z.unknown(),
  /** Where it came from, as the plan shows it (a config file, `<ref>`). */
  source: z.string().min(1).max(500),
  /** The commit it is the model of, when it is one's. */
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, { error: 'expected a commit sha' }).optional(),
});

/** `POST /api/v1/iac/plans/:id/apply`. */
export const applyPlanBodySchema = z.strictObject({
  /** Confirms a plan that removes every environment or every service, or renames a service. */
  allowDestroy: z.boolean().optional(),
});

/** `POST /api/v1/iac/overrides`: a deliberate manual change that drift detection must leave alone. */
export const createOverrideBodySchema = z.strictObject({
  environment: z.string().min(1),
  /** `service/<env>/<name>`, or `env/<name>` for the whole environment. @default the environment */
  resourceId: z.string().min(1).optional(),
  reason: z.string().min(1).max(500),
  /** How long it holds, e.g. `"30m"`. @default "1h" */
  for: z
    .string()
    .refine((s) => (tryParseDuration(s) ?? 0) > 0, { error: (i) => durationMessage(i.input) })
    .optional(),
});

/** Which model an environment (or the app-wide scope) runs. */
export interface AppliedVersionDto {
  /** `env/<name>`, or `app` for topics, alarms, the pipeline and dashboards. */
  readonly scope: string;
  readonly commit: string | null;
  readonly appliedAt: string;
  readonly by: string;
  readonly planId: number | null;
  readonly runId: number | null;
}

/** One scope's apply of a plan. */
export interface ApplyDto {
  readonly id: number;
  readonly planId: number;
  readonly scope: string;
  readonly status: 'InProgress' | 'Succeeded' | 'Failed';
  readonly changes: readonly string[];
  readonly applied: readonly string[];
  readonly error: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** A plan as the API returns it. */
export interface PlanDto {
  readonly id: number;
  readonly createdAt: string;
  readonly commit: string | null;
  readonly runId: number | null;
  readonly source: string;
  readonly changeSet: ChangeSet;
  /** The plan as text, as `slipway plan` prints it. */
  readonly lines: readonly string[];
  readonly summary: { readonly add: number; readonly modify: number; readonly remove: number };
  readonly applies: readonly ApplyDto[];
}

/** `GET /api/v1/iac/plans`: the newest plans first; `nextBefore` pages back (null at the oldest). */
export interface PlanListDto {
  readonly plans: readonly PlanDto[];
  readonly nextBefore: number | null;
}

/** Query of `GET /api/v1/iac/plans`. */
export const planListQuerySchema = z.strictObject({
  /** How many plans. @default 20 */
  limit: z.coerce.number().int().min(1).max(100).optional(),
  /** Only plans older than this id. */
  before: z.coerce.number().int().min(1).optional(),
});

/** One revision of a service as it runs: what the router sends it and what the supervisor keeps. */
export interface ObservedRevisionDto {
  readonly revision: string;
  readonly weightPercent: number;
  readonly desiredCount: number;
  readonly healthyCount: number;
  /** The secret versions its tasks were started with. */
  readonly secrets: Readonly<Record<string, number>>;
}

/**
 * A live resource: its attributes as the applied model gives them and, for a service, what runs
 * (`observed`, read from the router and the supervisor at the time of the request).
 */
export interface LiveResourceDto extends Resource {
  readonly observed: { readonly revisions: readonly ObservedRevisionDto[]; readonly deploying: boolean } | null;
}

/** `GET /api/v1/iac/state`: what each scope runs, the live resources, and the latest applies. */
export interface IacStateDto {
  readonly scopes: readonly AppliedVersionDto[];
  readonly resources: readonly LiveResourceDto[];
  readonly history: readonly ApplyDto[];
}

/** An override as the API shows it. */
export interface OverrideDto {
  readonly id: number;
  readonly environment: string;
  readonly resourceId: string;
  readonly reason: string;
  readonly by: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** One drift. */
export interface DriftDto {
  readonly kind: string;
  readonly environment: string;
  readonly resourceId: string;
  readonly message: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly healable: boolean;
  /** The override that keeps it from being healed. */
  readonly overrideId: number | null;
}

/** `GET /api/v1/iac/drift`. */
export interface DriftReportDto {
  readonly detectedAt: string | null;
  readonly drifts: readonly DriftDto[];
  readonly overrides: readonly OverrideDto[];
  /** Environments that revert drift. */
  readonly selfHeal: readonly string[];
}
