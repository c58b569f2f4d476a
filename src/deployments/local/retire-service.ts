import { NotFoundError } from '../../shared/index.js';
import type { LocalContext } from './local-context.js';
import { serviceSubject } from './service-subject.js';

/**
 * Retires a whole service of an environment (the app model no longer has it there): every
 * revision leaves the routing in one table push, then each task set drains (in-flight requests
 * finish during the drain time) and stops. Idempotent: a service with no revision left is done.
 */
export async function retireService(ctx: LocalContext, environment: string, service: string): Promise<void> {
  const revisions = ctx.revisions.list({ environment, service });
  for (const r of revisions) ctx.revisions.delete(environment, service, r.revision);
  if (revisions.length > 0) await ctx.traffic.sync();
  // Task sets left from a retire the previous control plane did not finish are stopped too.
  const sets = ctx.o.supervisor.listTaskSets().filter((s) => s.environment === environment && s.service === service);
  await Promise.all(
    sets.map((s) =>
      ctx.o.supervisor.stopTaskSet(environment, service, s.revision).catch((err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
      }),
    ),
  );
  for (const r of revisions) ctx.o.events.append({ type: 'service.revision.stopped', subject: serviceSubject(environment, service), data: { environment, service, revision: r.revision } });
}
