import { nextEvent } from '../../core/index.js';
import { ACTIVE_TASK_STATES } from '../../runtime/index.js';
import { ConflictError } from '../../shared/index.js';
import type { LocalContext } from './local-context.js';
import { serviceSubject } from './service-subject.js';

/**
 * Replaces every task of a revision once, one at a time: start one more,
 * wait until the router sends it traffic, then retire the oldest. The
 * revision never has fewer healthy, routed tasks than it started with.
 */
export async function replaceTasks(ctx: LocalContext, environment: string, service: string, revision: string, timeoutMs: number): Promise<void> {
  const { supervisor } = ctx.o;
  const key = { environment, service, revision };
  const olds = supervisor.listTasks({ ...key, states: ACTIVE_TASK_STATES });
  for (const old of olds) {
    const set = supervisor.getTaskSet(key);
    const before = new Set(supervisor.listTasks(key).map((t) => t.id));
    await supervisor.scaleTaskSet(key, set.desiredCount + 1);
    const fresh = await waitFor(ctx, `a replacement of ${old.id} to take traffic`, timeoutMs, () => {
      const t = supervisor.healthyTasks(environment, service, revision).find((x) => !before.has(x.id));
      return t && ctx.traffic.routes([t.id]) ? t : undefined;
    });
    await supervisor.retireTask(old.id, 'replaced');
    ctx.o.events.append({ type: 'service.task.replaced', subject: serviceSubject(environment, service), data: { ...key, oldTaskId: old.id, newTaskId: fresh.id } });
  }
}

async function waitFor<T>(ctx: LocalContext, what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const deadline = ctx.o.clock.now() + timeoutMs;
  // Wake on every event (task health changes are events) and on the routing sync's timer.
  for (;;) {
    await ctx.traffic.sync();
    const value = check();
    if (value !== undefined) return value;
    if (ctx.o.clock.now() > deadline) throw new ConflictError('SLW_ERR_DEPLOY_NOT_READY', `timed out after ${timeoutMs} ms waiting for ${what}`);
    await nextEvent(ctx.o.events, () => true, 250);
  }
}
