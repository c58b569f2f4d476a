import type { DoraDeployment, DoraIncident } from './model.js';
import type { RestoreSample } from './report.js';

/** Restore samples and what is still open. */
export interface RestoreSamples {
  readonly samples: RestoreSample[];
  readonly openIncidentIds: string[];
  readonly openDeploymentIds: string[];
}

/**
 * Restorations in the window:
 * - each incident: triggered → resolved (unresolved ones are listed as open);
 * - each rolled-back or failed deployment that no incident covers: started → restored, where restored is
 *   the end of its rollback (`RolledBack`) or the finish of the next successful deployment of the same
 *   service and environment (`Failed`; none yet → listed as open).
 * A failure linked to an incident is measured once, through the incident.
 */
export function restoreSamples(
  incidents: readonly DoraIncident[],
  failed: readonly DoraDeployment[],
  linkedToIncident: (deployment: DoraDeployment) => boolean,
  allDeployments: readonly DoraDeployment[],
): RestoreSamples {
  const samples: RestoreSample[] = [];
  const openIncidentIds: string[] = [];
  const openDeploymentIds: string[] = [];
  for (const incident of incidents) {
    if (incident.resolvedAtMs === undefined) {
      openIncidentIds.push(incident.id);
      continue;
    }
    const { id, triggeredAtMs: startMs, resolvedAtMs: restoredAtMs } = incident;
    samples.push({ kind: 'incident', id, startMs, restoredAtMs, durationMs: restoredAtMs - startMs });
  }
  for (const deployment of failed) {
    if (linkedToIncident(deployment)) continue;
    const restoredAtMs = deployment.status === 'RolledBack' ? deployment.finishedAtMs : nextSuccessFinish(deployment, allDeployments);
    if (restoredAtMs === undefined) {
      openDeploymentIds.push(deployment.id);
      continue;
    }
    samples.push({ kind: 'deployment', id: deployment.id, startMs: deployment.startedAtMs, restoredAtMs, durationMs: restoredAtMs - deployment.startedAtMs });
  }
  samples.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  return { samples, openIncidentIds, openDeploymentIds };
}

function nextSuccessFinish(failed: DoraDeployment, all: readonly DoraDeployment[]): number | undefined {
  let best: number | undefined;
  for (const d of all) {
    if (d.status !== 'Succeeded' || d.service !== failed.service || d.environment !== failed.environment) continue;
    if (d.startedAtMs < failed.startedAtMs || d.id === failed.id) continue;
    if (best === undefined || d.finishedAtMs < best) best = d.finishedAtMs;
  }
  return best;
}
