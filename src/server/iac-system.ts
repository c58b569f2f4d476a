import { isTerminal, type Deployment, type DeploymentEngine, type LocalEnvironments, type SecretVersions } from '../deployments/index.js';
import type { LiveSystem, ObservedService } from '../iac/index.js';
import { servicesIn } from '../shared/index.js';

/** The revision a service's last finished deployment left serving everything. */
function outcomeOf(d: Deployment): string | null {
  return d.state === 'Succeeded' ? d.toRevision : d.fromRevision;
}

/**
 * The running system as infrastructure as code sees it, over the local environments (router and
 * supervisor) and the deployment engine.
 */
export function localLiveSystem(environments: LocalEnvironments, deployments: DeploymentEngine, secrets: SecretVersions | undefined): LiveSystem {
  return {
    async observe(environment) {
      const out: ObservedService[] = [];
      for (const svc of Object.values(servicesIn(environments.app, environment))) {
        const stored = environments.revisions.list({ environment, service: svc.name });
        const described = environments.describe(environment, svc.name).revisions;
        const history = deployments.service.list({ environment, service: svc.name });
        const deploying = history.some((d) => !isTerminal(d.state));
        const last = history.find((d) => isTerminal(d.state));
        const first = [...stored].sort((a, b) => a.createdAtMs - b.createdAtMs)[0];
        const expectedRevision = last ? outcomeOf(last) : (first?.revision ?? null);
        let routerMismatch: Record<string, number> | null = null;
        if (!deploying && described.length > 0) {
          const served = await environments.verifyWeights(environment, svc.name).catch(() => undefined);
          const want = Object.fromEntries(described.filter((r) => r.weightPercent > 0).map((r) => [r.revision, r.weightPercent]));
          const have = Object.fromEntries(Object.entries(served?.weights ?? {}).filter(([, w]) => w > 0));
          const same = Object.keys(want).length === Object.keys(have).length && Object.entries(want).every(([r, w]) => have[r] === w);
          if (served && !same) routerMismatch = have;
        }
        const currentSecrets: Record<string, number> = {};
        for (const name of svc.secrets) {
          const v = secrets?.currentVersion(name);
          if (v !== undefined) currentSecrets[name] = v;
        }
        out.push({
          name: svc.name,
          revisions: described.map((r) => ({ revision: r.revision, weightPercent: r.weightPercent, desiredCount: r.health.desiredCount, healthyCount: r.health.healthyCount, secrets: r.secrets })),
          deploying,
          expectedRevision,
          routerMismatch,
          currentSecrets,
        });
      }
      return out;
    },
    retireService: (environment, service) => environments.retireService(environment, service),
    refreshRouting: () => environments.refresh(),
    rescale: (environment, service) => environments.rescaleService(environment, service),
    setWeights: (environment, service, weights) => environments.setWeights(environment, service, weights, 'self-heal'),
    scale: (environment, service, revision, desiredCount) => environments.scaleRevision(environment, service, revision, desiredCount),
    stopRevision: async (environment, service, revision) => {
      await environments.scaleRevision(environment, service, revision, 0);
      await environments.stopRevision(environment, service, revision);
    },
  };
}
