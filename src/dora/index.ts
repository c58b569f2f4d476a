// The four keys of DORA as pure functions over plain deployment and incident records.
export type { DeploymentOutcome, DoraBand, DoraCommit, DoraDeployment, DoraIncident, DoraInput, DoraWindow } from './model.js';
export type {
  ChangeFailureRate,
  DeploymentFrequency,
  DoraReport,
  LeadTime,
  LeadTimeSample,
  RestoreSample,
  TimeToRestore,
} from './report.js';
export { computeDora } from './compute-dora.js';
export { percentile } from './percentile.js';
export { changeFailureBand, durationBand, frequencyBand } from './bands.js';
export {
  DEFAULT_DORA_YEAR,
  DORA_THRESHOLDS,
  type DoraThresholds,
  type DurationLevel,
  type FrequencyLevel,
  type RatioLevel,
} from './thresholds.js';
export { createDora, type Dora, type DoraOptions } from './dora.js';
export { DoraService, type DoraReportRequest, type DoraInputs, type DoraServiceOptions } from './service.js';
export { deriveDeployments, type DerivedDeployment } from './derive-deployments.js';
export { deriveFlagRollouts, flagRolloutDoraId, flagDoraService } from './derive-flag-rollouts.js';
export { deriveIncidents } from './derive-incidents.js';
export { GitCommits, type ShippedCommits } from './git-commits.js';
