import { isFlagRolloutTerminal, isTerminal, type Deployment, type DeploymentEngine, type LocalEnvironments, type SecretVersions } from '../deployments/index.js';
import { definitionJson } from '../flags/index.js';
import type { LiveSystem, ObservedService } from '../iac/index.js';
import { servicesIn, type ResolvedFlag } from '../shared/index.js';

/** Whether a flag rollout was started by an apply (its actor names the plan), not by a person. */
const startedByApply = (actor: string): boolean => /\(plan \d+[,)]/.test(actor);

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
    rollOutFlag: async (environment: string, flag: ResolvedFlag, actor: string) => {
      const rollouts = deployments.flagRollouts;
      if (rollouts === undefined) throw new Error(`flag ${flag.key} cannot be rolled out: this control plane has no flag store`);
      const active = rollouts.list({ environment, key: flag.key }).find((r) => !isFlagRolloutTerminal(r.state));
      if (active !== undefined) {
        if (definitionJson(active.to) === definitionJson(flag)) return;
        // A rollout of an earlier apply (resumed, or being rolled back) gives way; a person's is refused by start().
        if (startedByApply(active.actor)) rollouts.abort(active.id, { actor, reason: `superseded by ${actor}` });
      }
      // Already served (a resumed apply, or the same change made through the API): nothing to roll out.
      if (!rollouts.serves(environment, flag)) rollouts.start({ environment, to: flag, actor });
    },
    stopRevision: async (environment, service, revision) => {
      await environments.scaleRevision(environment, service, revision, 0);
      await environments.stopRevision(environment, service, revision);
    },
  };
}
