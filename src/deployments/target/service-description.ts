/** How a revision's tasks are doing. */
export interface RevisionHealth {
  /** Tasks the running set is asked for (the autoscaler may have moved it). */
  readonly desiredCount: number;
  /** Healthy tasks. */
  readonly healthyCount: number;
  /** Whether every healthy task is a healthy target of what the data plane serves. */
  readonly routed: boolean;
  /** Consecutive failed tasks of the set (a crash loop grows it). */
  readonly failureStreak: number;
}

/** One revision of a service as a target describes it. */
export interface RevisionDescription {
  readonly revision: string;
  /** Desired share of the service's traffic, in percent. */
  readonly weightPercent: number;
  /** Whether the environment's test traffic goes to this revision. */
  readonly testTraffic: boolean;
  /** Tasks the revision was started or last scaled with. */
  readonly desiredCount: number;
  /** The directory the revision runs from. */
  readonly sourceDir: string;
  /** Extra environment variables of the revision's tasks. */
  readonly env: Readonly<Record<string, string>>;
  /** The secret versions its tasks get (name → version). */
  readonly secrets: Readonly<Record<string, number>>;
  readonly health: RevisionHealth;
}

/** The revisions of one service in one environment (`TrafficTarget.describe`). */
export interface ServiceDescription {
  readonly environment: string;
  readonly service: string;
  readonly revisions: readonly RevisionDescription[];
}

/** The health of a revision that runs nothing: what a revision the target does not know has. */
export const NO_TASKS: RevisionHealth = Object.freeze({ desiredCount: 0, healthyCount: 0, routed: false, failureStreak: 0 });

/** The description of one revision, or undefined when the target does not know it. */
export function findRevision(s: ServiceDescription, revision: string): RevisionDescription | undefined {
  return s.revisions.find((r) => r.revision === revision);
}

/** The health of one revision; {@link NO_TASKS} when the target does not know it. */
export function healthOf(s: ServiceDescription, revision: string): RevisionHealth {
  return findRevision(s, revision)?.health ?? NO_TASKS;
}

/** Revision → desired weight, for every revision of the service. */
export function weightsOf(s: ServiceDescription): Record<string, number> {
  return Object.fromEntries(s.revisions.map((r) => [r.revision, r.weightPercent]));
}
