import type { AlarmState } from '../../shared/index.js';

/** What a deploy action asks the deployment engine to do. */
export interface DeployRequest {
  /** The environment (a name in the app's `environments`). */
  readonly environment: string;
  /** One service, or undefined for every service of the app. */
  readonly service: string | undefined;
  /** The commit sha's first 12 characters; the deployer may give each service its own revision (see `unchanged`). */
  readonly revision: string;
  /** The unpacked artifact (or a checkout of the commit when the run stored none); it stays in place. */
  readonly sourceDir: string;
  /** The pipeline run. */
  readonly runId: number;
  /** The action, unique across runs: a deployer can use `(actionId, attempt)` to make a repeated call idempotent. */
  readonly actionId: number;
  readonly attempt: number;
  readonly commitSha: string;
  /** The artifact digest, when the revision came from one. */
  readonly artifact: string | undefined;
  /**
   * The images the run's image actions pushed, by service (`<registry>/<repository>@sha256:…`): a
   * container service named here runs exactly that image. @default {} (images from the artifact's
   * `imagedefinitions.json`, else built from the source)
   */
  readonly images?: Readonly<Record<string, string>>;
  /** True when a stage's onFailure ROLLBACK redeploys an earlier revision. */
  readonly rollback: boolean;
  /** True when a control plane that restarted calls again for a deploy that was in flight. */
  readonly resumed: boolean;
  /** Aborted when the run is cancelled or the action times out. */
  readonly signal: AbortSignal;
}

/** How a deployment ended. */
export interface DeployResult {
  readonly status: 'Succeeded' | 'Failed' | 'RolledBack';
  readonly deploymentIds: readonly string[];
  readonly message?: string;
  /** Services whose revision already served everything: recorded as unchanged deployments, nothing moved. */
  readonly unchanged?: readonly { readonly service: string; readonly revision: string; readonly reason: string }[];
}

/**
 * The deployment engine as the pipeline sees it. The composition root wires
 * it to `deployments/`; the pipelines context never imports that context.
 */
export interface Deployer {
  deploy(request: DeployRequest): Promise<DeployResult>;
}

/** Alarm states for stage `beforeEntry` conditions; the composition root wires it to `alarms/`. */
export interface AlarmStates {
  /** The alarm's state, or undefined when it is unknown. */
  stateOf(alarm: string): AlarmState | undefined | Promise<AlarmState | undefined>;
}

/** What a plan action asks: the change set of the commit's app model against the live system. */
export interface PlanRequest {
  /** The unpacked artifact (or a checkout of the commit): where the commit's app definition is. */
  readonly sourceDir: string;
  readonly runId: number;
  readonly commitSha: string;
  /** Succeed on a destructive plan (one that removes every environment or service, or renames a service). */
  readonly allowDestroy: boolean;
  /** A manual approval follows in the run: it is the confirmation a destructive plan asks for. */
  readonly approvalFollows: boolean;
}

/** A plan as the pipeline records it. */
export interface PlanResult {
  /** Failed: the model is invalid, or the plan is destructive without `allowDestroy`. */
  readonly status: 'Succeeded' | 'Failed';
  /** The stored plan, when one was made. */
  readonly planId?: number;
  /** The plan as text, one line per change (or the validation messages). */
  readonly lines: readonly string[];
  /** Counts by action, for the run's output. */
  readonly summary?: { readonly add: number; readonly modify: number; readonly remove: number };
  /** The change set itself (the run's plan artifact). */
  readonly changeSet?: unknown;
  readonly message?: string;
}

/** Makes the plans of plan actions; the composition root wires it to `iac/`. */
export interface Planner {
  plan(request: PlanRequest): Promise<PlanResult>;
}

/** Where the environments' ingresses listen, for load tests; the composition root wires it to the router. */
export interface Ingresses {
  /** `http://127.0.0.1:<port>` of the environment's ingress listener, or undefined when none listens (no router, no such environment). */
  originOf(environment: string): Promise<string | undefined>;
}
