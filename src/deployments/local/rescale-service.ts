import { isAutoscaled } from '../../shared/index.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';

/**
 * Applies a service's scaling range in place: each running revision keeps its tasks and its
 * autoscaled count, clamped into the new `min`..`max` (a raised minimum starts tasks, a lowered
 * maximum stops some), and its task set takes the new range for target tracking. No task restarts.
 */
export async function rescaleService(ctx: LocalContext, environment: string, service: string): Promise<void> {
  const svc = findService(ctx.o.app, environment, service);
  const { scaling } = svc;
  const tracks = isAutoscaled(scaling);
  for (const r of ctx.revisions.list({ environment, service })) {
    if (r.desiredCount === 0) continue;
    const set = ctx.o.supervisor.listTaskSets().find((s) => s.environment === environment && s.service === service && s.revision === r.revision);
    if (!set) continue;
    const current = set.desiredCount;
    // Without target tracking the count is the minimum, as a deployment sets it.
    const desired = tracks ? Math.min(Math.max(current, scaling.min), scaling.max) : scaling.min;
    const { scaling: _old, ...spec } = set.spec;
    await ctx.o.supervisor.applyTaskSet({ ...spec, desiredCount: desired, ...(tracks ? { scaling } : {}) });
    ctx.revisions.setDesiredCount(environment, service, r.revision, desired);
  }
}
