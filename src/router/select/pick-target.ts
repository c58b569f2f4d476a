import type { UpstreamTarget } from '../proxy/upstream-target.js';
import type { CompiledTargetGroup } from '../table/compiled.js';

/**
 * Picks the healthy target with the fewest outstanding requests; among equals
 * the scan starts after the last pick, so ties go round-robin. `exclude` (a
 * target that just failed) is skipped, as are targets being drained.
 */
export function pickTarget(group: CompiledTargetGroup, exclude?: UpstreamTarget): UpstreamTarget | undefined {
  const targets = group.healthyTargets;
  const n = targets.length;
  let best: UpstreamTarget | undefined;
  let bestIndex = 0;
  for (let k = 0; k < n; k++) {
    const i = (group.cursor + k) % n;
    const t = targets[i]!;
    if (t === exclude || t.draining) continue;
    if (best === undefined || t.outstanding < best.outstanding) {
      best = t;
      bestIndex = i;
    }
  }
  if (best !== undefined) group.cursor = (bestIndex + 1) % n;
  return best;
}
