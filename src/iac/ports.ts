import type { ResolvedFlag } from '../shared/index.js';

/** One revision of a service as it runs. */
export interface ObservedRevision {
  readonly revision: string;
  readonly weightPercent: number;
  readonly desiredCount: number;
  /** Tasks passing their health check now. */
  readonly healthyCount: number;
  /** Secret versions the revision's tasks got. */
  readonly secrets: Readonly<Record<string, number>>;
}

/** A service of an environment as it runs. */
export interface ObservedService {
  readonly name: string;
  readonly revisions: readonly ObservedRevision[];
  /** A deployment of the service is in progress (its traffic and counts are the engine's). */
  readonly deploying: boolean;
  /**
   * The revision that should serve all traffic: the outcome of the service's last deployment
   * (its new revision when it succeeded, the old one when it rolled back), or the revision it
   * started with. null when nothing has run yet.
   */
  readonly expectedRevision: string | null;
  /** What the router serves, when it differs from the stored weights: `revision → percent`. */
  readonly routerMismatch: Readonly<Record<string, number>> | null;
  /** The current version of each secret the service declares. */
  readonly currentSecrets: Readonly<Record<string, number>>;
}

/**
 * The running system as infrastructure as code sees and changes it. The composition root
 * implements it over the local environments, the supervisor, the router and the deployment
 * engine; each operation is idempotent, so an apply resumed after a crash repeats it safely.
 */
export interface LiveSystem {
  /** The services of an environment as they run now. */
  observe(environment: string): Promise<ObservedService[]>;
  /** Takes a service of an environment out of the routing, drains and stops every task of it, and forgets it. */
  retireService(environment: string, service: string): Promise<void>;
  /** Allocates the service-discovery ports the live model needs and pushes the routing table. */
  refreshRouting(): Promise<void>;
  /** Brings the serving revision's task count into the live model's scaling range (in place: no task restarts). */
  rescale(environment: string, service: string): Promise<void>;
  /** Sets a service's weights (a drift heal: back to the expected revision). */
  setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>): Promise<void>;
  /** Sets the task count of a revision (a drift heal). */
  scale(environment: string, service: string, revision: string, desiredCount: number): Promise<void>;
  /**
   * Brings a flag of an environment to `flag` through a flag rollout with the environment's
   * strategy, started by `actor`. Idempotent: nothing happens when the flag already serves it or
   * a rollout to it is under way; a rollout an earlier apply started to another definition is
   * aborted first (a resumed or rolled-back apply), one a person started is left alone and refused.
   */
  rollOutFlag(environment: string, flag: ResolvedFlag, actor: string): Promise<void>;
  /** Stops a revision that serves nothing (a drift heal: a task set left behind). */
  stopRevision(environment: string, service: string, revision: string): Promise<void>;
}
