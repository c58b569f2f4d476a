import { createHash } from 'node:crypto';
import type { Resource } from '../shared/index.js';
import { desiredResources } from './desired-state.js';
import { APP_SCOPE, scopeOf, type LiveModel } from './live-model.js';
import { canonicalJson } from './plan.js';
import type { LiveSystem } from './ports.js';

/**
 * The live state as resources: each scope's part of the model it applied last (an environment,
 * its listener and its services from the environment's model; topics, alarms and the pipeline
 * from the app scope's). This is the state a plan is made against, as Terraform plans against
 * its state; what the running system does beyond it (a shifted weight, a scaled count) is drift,
 * observed from the runtime by {@link scopeFingerprint} and the drift detector.
 */
export function liveResources(live: LiveModel): Resource[] {
  const out: Resource[] = [];
  for (const scope of live.scopes()) {
    const model = live.model(scope)!;
    for (const r of desiredResources(model)) if (scopeOf(r.id) === scope) out.push(r);
  }
  return out;
}

/**
 * The fingerprint of one scope of the live state: its resources, and for an environment which
 * revisions serve which share of each service's traffic (task counts are left out: the autoscaler
 * changes them all the time). A plan records it per scope and is refused once it differs.
 */
export async function scopeFingerprint(live: LiveModel, system: LiveSystem, scope: string, resources = liveResources(live)): Promise<string> {
  const own = resources.filter((r) => scopeOf(r.id) === scope).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let serving: unknown = null;
  if (scope !== APP_SCOPE && live.model(scope) !== undefined) {
    const observed = await system.observe(scope.slice('env/'.length));
    serving = observed.map((s) => [s.name, s.revisions.filter((r) => r.weightPercent > 0).map((r) => [r.revision, r.weightPercent])]);
  }
  return createHash('sha256').update(canonicalJson({ resources: own, serving })).digest('hex');
}
