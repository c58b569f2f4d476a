import type { ServiceDescription } from './service-description.js';

/** A request to run a revision of a service. */
export interface StartRevisionRequest {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  /** Directory holding the app (the service runs in `<sourceDir>/<service.path>`). */
  readonly sourceDir: string;
  /** @default the service's `scaling.min` */
  readonly desiredCount?: number;
  /** Extra environment variables of this revision's tasks, over the service's own. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** The secret versions its tasks get (name → version). @default the current version of each secret the service declares */
  readonly secrets?: Readonly<Record<string, number>>;
  /** The image a container service's tasks run. @default built from the service's Dockerfile in `sourceDir` */
  readonly image?: string;
}

/** What the data plane really serves for one service, read back from it (`verifyWeights`). */
export interface VerifiedWeights {
  /** Version of the configuration the data plane serves (the router's table version). */
  readonly version: number;
  /** Revision → percent of the service's traffic, as the data plane holds it. */
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * Whatever carries a service's traffic, as the deployment engine drives it:
 * run, scale and stop revisions, split traffic between them, and read back
 * what is really served. The reconciler, the step actions and the deployment
 * service depend only on this; the local router with its supervisor
 * (`LocalEnvironments`) is one implementation, and another kind of target
 * (a feature-flag rollout, containers elsewhere) plugs in by implementing it.
 *
 * The split follows Argo Rollouts' traffic-routing plugins: `setWeights` is
 * their `SetWeight`, `verifyWeights` their `VerifyWeight`, `setTestTraffic`
 * their header/preview route; lifecycle hooks (CodeDeploy's `BeforeInstall`,
 * `AfterAllowTestTraffic`, …) and analysis stay in the engine and are no
 * business of the target.
 *
 * Every operation is idempotent: the engine applies a step again after a
 * restart. A refusal is thrown as a `SlipwayError` (the tick records its
 * message and retries).
 */
export interface TrafficTarget {
  /**
   * The revisions of a service with their desired weights and the health of
   * their tasks, from what the target knows now (no call to the data plane).
   * An unknown environment or service throws a NotFoundError.
   */
  describe(environment: string, service: string): ServiceDescription;

  /**
   * Runs a revision (idempotent). The first revision of a service gets 100%, a later one 0%
   * until weights are shifted to it. Resolves once it is started (not yet healthy: `describe`
   * tells); the value is the implementation's own record of it, which the engine does not read.
   */
  startRevision(request: StartRevisionRequest): Promise<unknown>;

  /** Sets the number of tasks of a running revision (idempotent). */
  scaleRevision(environment: string, service: string, revision: string, desiredCount: number): Promise<void>;

  /**
   * Splits a service's traffic: revision → integer percent, summing to 100.
   * Refused (ConflictError) toward a revision that could not take the
   * traffic yet. Resolves once the data plane serves the new weights.
   */
  setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>, reason: string): Promise<void>;

  /** Reads back what the data plane serves for the service now; the engine records it and compares it with what it set. */
  verifyWeights(environment: string, service: string): Promise<VerifiedWeights>;

  /** Sends the environment's test traffic to `revision`, or to none (the blue/green test listener). */
  setTestTraffic(environment: string, service: string, revision: string | undefined): Promise<void>;

  /** Stops a revision that has no traffic and forgets it; refused (ConflictError) while it still has some. */
  stopRevision(environment: string, service: string, revision: string): Promise<void>;

  /** The stable URL of the service in the environment (what lifecycle hooks call as `SLIPWAY_SERVICE_URL`). */
  serviceUrl(environment: string, service: string): string;

  /** The URL that reaches the test revision, while test traffic is on; undefined otherwise. */
  testUrl(environment: string, service: string): Promise<string | undefined>;
}
