/** How a production deployment ended. */
export type DeploymentOutcome = 'Succeeded' | 'RolledBack' | 'Failed';

/** A DORA performance level, as the State of DevOps reports name them. */
export type DoraBand = 'Elite' | 'High' | 'Medium' | 'Low';

/** One commit shipped by a deployment. */
export interface DoraCommit {
  /** The commit id. */
  readonly sha: string;
  /** When it was committed. */
  readonly committedAtMs: number;
}

/** A deployment, as DORA needs it. */
export interface DoraDeployment {
  /** The deployment id. */
  readonly id: string;
  /** The service deployed. */
  readonly service: string;
  /** The environment deployed to; only the measured environment counts (`production` by default). */
  readonly environment: string;
  /** How it ended. */
  readonly status: DeploymentOutcome;
  /** When it started. */
  readonly startedAtMs: number;
  /** When it finished (succeeded, or finished rolling back / failing). */
  readonly finishedAtMs: number;
  /** The commits it shipped that production did not have yet. */
  readonly commits: readonly DoraCommit[];
  /** Incidents attributed to this deployment. @default none */
  readonly incidentIds?: readonly string[];
}

/** An incident, as DORA needs it. */
export interface DoraIncident {
  /** The incident id. */
  readonly id: string;
  /** The service affected. @default the service of `deploymentId`, if any */
  readonly service?: string;
  /** When it was triggered. */
  readonly triggeredAtMs: number;
  /** When service was restored; absent while open. */
  readonly resolvedAtMs?: number;
  /** The deployment that caused it, when known. */
  readonly deploymentId?: string;
}

/** A half-open time window `[startMs, endMs)`. */
export interface DoraWindow {
  /** Inclusive start. */
  readonly startMs: number;
  /** Exclusive end; must be after `startMs`. */
  readonly endMs: number;
}

/** What `computeDora` needs. */
export interface DoraInput {
  /** Deployments (any environment, any time; the window and filters select). */
  readonly deployments: readonly DoraDeployment[];
  /** Incidents (any time; the window and filters select). */
  readonly incidents: readonly DoraIncident[];
  /** The window measured. */
  readonly window: DoraWindow;
  /** Only this service. @default every service */
  readonly service?: string;
  /** The environment measured. @default 'production' */
  readonly environment?: string;
  /** The State of DevOps report whose performance levels are used, a key of `DORA_THRESHOLDS`. @default DEFAULT_DORA_YEAR */
  readonly thresholdsYear?: string;
}
