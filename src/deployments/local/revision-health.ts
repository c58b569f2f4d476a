import type { RevisionHealth } from '../target/service-description.js';
import type { LocalContext } from './local-context.js';

/** Desired, healthy and routed tasks of a revision; zeros when it has no task set. */
export function revisionHealth(ctx: LocalContext, environment: string, service: string, revision: string): RevisionHealth {
  const set = ctx.o.supervisor.listTaskSets().find((s) => s.environment === environment && s.service === service && s.revision === revision);
  const healthy = ctx.o.supervisor.healthyTasks(environment, service, revision).map((t) => t.id);
  return { desiredCount: set?.desiredCount ?? 0, healthyCount: healthy.length, routed: healthy.length > 0 && ctx.traffic.routes(healthy), failureStreak: set?.failureStreak ?? 0 };
}
