import type { LocalContext } from './local-context.js';

/** How a revision's task set is doing. */
export interface RevisionHealth {
  readonly desiredCount: number;
  /** Healthy tasks. */
  readonly healthyCount: number;
  /** Whether every healthy task is a healthy target in the table the router serves. */
  readonly routed: boolean;
  /** Consecutive failed tasks of the set (a crash loop grows it). */
  readonly failureStreak: number;
}

/** Desired, healthy and routed tasks of a revision; zeros when it has no task set. */
export function revisionHealth(ctx: LocalContext, environment: string, service: string, revision: string): RevisionHealth {
  const set = ctx.o.supervisor.listTaskSets().find((s) => s.environment === environment && s.service === service && s.revision === revision);
  const healthy = ctx.o.supervisor.healthyTasks(environment, service, revision).map((t) => t.id);
  return { desiredCount: set?.desiredCount ?? 0, healthyCount: healthy.length, routed: healthy.length > 0 && ctx.traffic.routes(healthy), failureStreak: set?.failureStreak ?? 0 };
}
