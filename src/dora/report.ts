import type { DoraBand, DoraWindow } from './model.js';

/** Deployment frequency: successful deployments per day and per week over the window. */
export interface DeploymentFrequency {
  /** Successful deployments ÷ window days; null when the window has no deployment at all. */
  readonly perDay: number | null;
  /** `perDay × 7`; null likewise. */
  readonly perWeek: number | null;
  /** The band of `perDay`; undefined when `perDay` is null. */
  readonly band?: DoraBand;
  /** The successful deployments counted. */
  readonly deploymentIds: readonly string[];
}

/** One commit's lead time. */
export interface LeadTimeSample {
  /** The commit. */
  readonly sha: string;
  /** The first successful deployment in the window that shipped it. */
  readonly deploymentId: string;
  /** Deployment finished − committed. */
  readonly leadTimeMs: number;
}

/** Lead time for changes. */
export interface LeadTime {
  /** Nearest-rank median of the samples; null without samples. */
  readonly medianMs: number | null;
  /** Nearest-rank 90th percentile; null without samples. */
  readonly p90Ms: number | null;
  /** The band of the median; undefined when null. */
  readonly band?: DoraBand;
  /** Every commit measured, in deployment order. */
  readonly samples: readonly LeadTimeSample[];
}

/** Change failure rate. */
export interface ChangeFailureRate {
  /** `failedDeploymentIds.length ÷ deploymentIds.length`; null when there is no deployment. */
  readonly ratio: number | null;
  /** The band of the ratio; undefined when null. */
  readonly band?: DoraBand;
  /** Every deployment in the window (the denominator). */
  readonly deploymentIds: readonly string[];
  /** Those rolled back, failed, or linked to an incident (the numerator). */
  readonly failedDeploymentIds: readonly string[];
}

/** One restoration of service. */
export interface RestoreSample {
  /** An incident (triggered → resolved) or a failed deployment with no incident (started → restored). */
  readonly kind: 'incident' | 'deployment';
  /** The incident or deployment id. */
  readonly id: string;
  /** When the failure started. */
  readonly startMs: number;
  /** When service was restored. */
  readonly restoredAtMs: number;
  /** `restoredAtMs − startMs`. */
  readonly durationMs: number;
}

/** Time to restore service (failed deployment recovery time). */
export interface TimeToRestore {
  /** Nearest-rank median of the samples; null without samples. */
  readonly medianMs: number | null;
  /** The band of the median; undefined when null. */
  readonly band?: DoraBand;
  /** Every restoration measured, in start order. */
  readonly samples: readonly RestoreSample[];
  /** Incidents in the window still unresolved (not in the median). */
  readonly openIncidentIds: readonly string[];
  /** Failed deployments with no later successful deployment yet (not in the median). */
  readonly openDeploymentIds: readonly string[];
}

/** The four keys over one window, each traceable to the records it came from. */
export interface DoraReport {
  /** The window measured. */
  readonly window: DoraWindow;
  /** The environment measured. */
  readonly environment: string;
  /** The service measured; undefined for all. */
  readonly service?: string;
  /** The report year whose performance levels gave the bands. */
  readonly thresholdsYear: string;
  /** Deployment frequency. */
  readonly deploymentFrequency: DeploymentFrequency;
  /** Lead time for changes. */
  readonly leadTime: LeadTime;
  /** Change failure rate. */
  readonly changeFailureRate: ChangeFailureRate;
  /** Time to restore service. */
  readonly timeToRestore: TimeToRestore;
}
