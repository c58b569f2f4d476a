import { InputError } from '../shared/index.js';
import { changeFailureBand, durationBand, frequencyBand } from './bands.js';
import { leadTimeSamples } from './lead-time.js';
import type { DoraDeployment, DoraIncident, DoraInput } from './model.js';
import { percentile } from './percentile.js';
import type { DoraReport } from './report.js';
import { DEFAULT_DORA_YEAR, DORA_THRESHOLDS } from './thresholds.js';
import { restoreSamples } from './time-to-restore.js';

const DAY_MS = 86_400_000;

function byFinish(a: DoraDeployment, b: DoraDeployment): number {
  return a.finishedAtMs - b.finishedAtMs || a.id.localeCompare(b.id);
}

/**
 * Computes the four keys over a window (docs/dora.md has the exact definitions):
 * - a deployment is in the window when it *finished* in `[startMs, endMs)` in the measured environment
 *   (and service, if given); an incident when it was *triggered* in the window and concerns that service;
 * - deployment frequency = successful deployments ÷ window days (and × 7 per week);
 * - lead time = for each commit of a successful deployment, finished − committed (median and p90, nearest rank);
 * - change failure rate = deployments rolled back, failed or linked to an incident ÷ all deployments;
 * - time to restore = median of incident and failed-deployment restorations (open ones listed apart).
 * Figures with nothing to measure are null and have no band.
 *
 * @throws InputError `SLW_ERR_API_VALIDATION` when the window is empty or reversed, or the report year is unknown.
 */
export function computeDora(input: DoraInput): DoraReport {
  const { window } = input;
  const environment = input.environment ?? 'production';
  const thresholdsYear = input.thresholdsYear ?? DEFAULT_DORA_YEAR;
  const thresholds = DORA_THRESHOLDS[thresholdsYear];
  if (!(window.endMs > window.startMs)) {
    throw new InputError('SLW_ERR_API_VALIDATION', `The DORA window must end after it starts (got ${window.startMs} → ${window.endMs})`, {
      issues: [{ path: 'window.endMs', message: 'must be greater than window.startMs' }],
    });
  }
  if (thresholds === undefined) {
    throw new InputError('SLW_ERR_API_VALIDATION', `No DORA thresholds for report year ${thresholdsYear}; known: ${Object.keys(DORA_THRESHOLDS).join(', ')}`, {
      issues: [{ path: 'thresholdsYear', message: `must be one of ${Object.keys(DORA_THRESHOLDS).join(', ')}` }],
    });
  }
  const inService = (service: string | undefined) => input.service === undefined || service === input.service;
  const measured = input.deployments.filter((d) => d.environment === environment && inService(d.service));
  const inWindow = measured.filter((d) => d.finishedAtMs >= window.startMs && d.finishedAtMs < window.endMs).sort(byFinish);
  const serviceOfDeployment = new Map(input.deployments.map((d) => [d.id, d.service]));
  const incidentService = (i: DoraIncident) => i.service ?? (i.deploymentId === undefined ? undefined : serviceOfDeployment.get(i.deploymentId));
  const incidents = input.incidents
    .filter((i) => i.triggeredAtMs >= window.startMs && i.triggeredAtMs < window.endMs && (input.service === undefined || incidentService(i) === input.service))
    .sort((a, b) => a.triggeredAtMs - b.triggeredAtMs || a.id.localeCompare(b.id));
  const causedIncident = new Set(input.incidents.flatMap((i) => (i.deploymentId === undefined ? [] : [i.deploymentId])));
  const linkedToIncident = (d: DoraDeployment) => (d.incidentIds?.length ?? 0) > 0 || causedIncident.has(d.id);

  const successful = inWindow.filter((d) => d.status === 'Succeeded');
  const windowDays = (window.endMs - window.startMs) / DAY_MS;
  const perDay = inWindow.length === 0 ? null : successful.length / windowDays;

  const leadSamples = leadTimeSamples(successful);
  const leadTimes = leadSamples.map((s) => s.leadTimeMs);
  const medianLeadMs = percentile(leadTimes, 50) ?? null;

  const failed = inWindow.filter((d) => d.status !== 'Succeeded' || linkedToIncident(d));
  const ratio = inWindow.length === 0 ? null : failed.length / inWindow.length;

  const restore = restoreSamples(incidents, inWindow.filter((d) => d.status !== 'Succeeded'), linkedToIncident, measured);
  const medianRestoreMs = percentile(restore.samples.map((s) => s.durationMs), 50) ?? null;

  return {
    window: { startMs: window.startMs, endMs: window.endMs },
    environment,
    ...(input.service === undefined ? {} : { service: input.service }),
    thresholdsYear,
    deploymentFrequency: {
      perDay,
      perWeek: perDay === null ? null : perDay * 7,
      ...(perDay === null ? {} : { band: frequencyBand(thresholds, perDay) }),
      deploymentIds: successful.map((d) => d.id),
    },
    leadTime: {
      medianMs: medianLeadMs,
      p90Ms: percentile(leadTimes, 90) ?? null,
      ...(medianLeadMs === null ? {} : { band: durationBand(thresholds.leadTime, medianLeadMs) }),
      samples: leadSamples,
    },
    changeFailureRate: {
      ratio,
      ...(ratio === null ? {} : { band: changeFailureBand(thresholds, ratio) }),
      deploymentIds: inWindow.map((d) => d.id),
      failedDeploymentIds: failed.map((d) => d.id),
    },
    timeToRestore: {
      medianMs: medianRestoreMs,
      ...(medianRestoreMs === null ? {} : { band: durationBand(thresholds.timeToRestore, medianRestoreMs) }),
      samples: restore.samples,
      openIncidentIds: restore.openIncidentIds,
      openDeploymentIds: restore.openDeploymentIds,
    },
  };
}
