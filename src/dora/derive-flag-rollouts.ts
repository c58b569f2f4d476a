import type { SlipwayEvent } from '../core/index.js';
import { FLAG_ROLLOUT_EVENT_TYPES, FLAG_ROLLOUT_ROLLED_BACK, FLAG_ROLLOUT_STARTED, FLAG_ROLLOUT_SUCCEEDED, payloadOfAny } from '../shared/index.js';
import type { DerivedDeployment } from './derive-deployments.js';
import type { DeploymentOutcome } from './model.js';

/** The DORA id of flag rollout `id`: `flag-rollout/<id>`, apart from deployment ids. */
export function flagRolloutDoraId(id: number): string {
  return `flag-rollout/${id}`;
}

/** The DORA service of a flag rollout: `flag:<key>` (a flag belongs to an environment, not to a service). */
export function flagDoraService(key: string): string {
  return `flag:${key}`;
}

/**
 * Finished flag rollouts from `flag.rollout.*` events (pure), as deployments: a flag change is a change
 * to production. Succeeded counts as a successful deployment, reverted by an alarm (`RolledBack`) as a
 * failed change; aborted by a user (`Stopped`) is left out, as an aborted deployment is. A rollout
 * ships no commits: it has no lead time (`commits: []`).
 */
export function deriveFlagRollouts(events: readonly SlipwayEvent[]): DerivedDeployment[] {
  const started = new Map<number, number>();
  const out: DerivedDeployment[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const p = payloadOfAny(e, FLAG_ROLLOUT_EVENT_TYPES);
    if (p === undefined) continue;
    if (e.type === FLAG_ROLLOUT_STARTED) started.set(p.rolloutId, e.timeMs);
    const status: DeploymentOutcome | undefined = e.type === FLAG_ROLLOUT_SUCCEEDED ? 'Succeeded' : e.type === FLAG_ROLLOUT_ROLLED_BACK && p.state === 'RolledBack' ? 'RolledBack' : undefined;
    if (status === undefined) continue;
    out.push({
      id: flagRolloutDoraId(p.rolloutId),
      service: flagDoraService(p.key),
      environment: p.environment,
      status,
      startedAtMs: started.get(p.rolloutId) ?? e.timeMs,
      finishedAtMs: e.timeMs,
      fromRevision: `v${p.fromVersion}`,
      toRevision: 'version' in p && typeof p.version === 'number' ? `v${p.version}` : 'new definition',
      commits: [],
    });
  }
  return out;
}
