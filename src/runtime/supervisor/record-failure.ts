import { backoffDelayMs } from '../backoff.js';
import type { TaskSetKey } from '../model.js';
import type { SupervisorContext } from './context.js';

/** Counts one more failed task of a set and pushes its next start out by the backoff. Returns the delay. */
export function recordFailure(ctx: SupervisorContext, key: TaskSetKey): number {
  const set = ctx.sets.tryFind(key);
  if (!set) return 0;
  const streak = set.failureStreak + 1;
  const delayMs = backoffDelayMs(streak, ctx.backoff);
  ctx.sets.update(key, { failureStreak: streak, nextStartAtMs: ctx.clock.now() + delayMs }, ctx.clock.now());
  return delayMs;
}

/** Ends the crash-loop streak of every set with a task that has been Healthy for the reset period. */
export function resetStreaks(ctx: SupervisorContext): void {
  const now = ctx.clock.now();
  for (const set of ctx.sets.list()) {
    if (set.failureStreak === 0) continue;
    const healthy = ctx.tasks.list({ ...set, states: ['Healthy'] });
    if (healthy.some((t) => t.healthySinceMs !== null && now - t.healthySinceMs >= ctx.backoff.resetAfterHealthyMs)) {
      ctx.sets.update(set, { failureStreak: 0, nextStartAtMs: 0 }, now);
    }
  }
}
