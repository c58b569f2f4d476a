import type { DoraDeployment } from './model.js';
import type { LeadTimeSample } from './report.js';

/**
 * One sample per commit shipped by a successful deployment (given in finish order): deployment finished −
 * committed. A commit shipped again (after a rollback) counts once, with its first successful deployment.
 */
export function leadTimeSamples(successful: readonly DoraDeployment[]): LeadTimeSample[] {
  const seen = new Set<string>();
  const samples: LeadTimeSample[] = [];
  for (const deployment of successful) {
    for (const commit of deployment.commits) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      samples.push({ sha: commit.sha, deploymentId: deployment.id, leadTimeMs: deployment.finishedAtMs - commit.committedAtMs });
    }
  }
  return samples;
}
