// Infrastructure as code as the API returns it: resources, changes and change sets (`slipway plan`, a run's plan stage, `synth aws --diff`).
/** The kinds of resource slipway runs, one per kind of thing a plan can change. */
export type ResourceType = 'environment' | 'service' | 'listener' | 'alarm' | 'topic' | 'pipeline';

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
