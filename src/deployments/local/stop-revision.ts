import { ConflictError, NotFoundError } from '../../shared/index.js';
import type { LocalContext } from './local-context.js';
import { serviceSubject } from './service-subject.js';

/** Stops a revision that has no traffic and forgets it: out of the routing first, then its tasks drained and stopped. */
export async function stopRevision(ctx: LocalContext, environment: string, service: string, revision: string): Promise<void> {
  const r = ctx.revisions.tryFind(environment, service, revision);
  if (!r) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
  if (r.weightPercent > 0) throw new ConflictError('SLW_ERR_DEPLOY_HAS_TRAFFIC', `revision "${revision}" of ${service} in ${environment} still has ${r.weightPercent}% of the traffic; shift it away first`);
  ctx.revisions.delete(environment, service, revision);
  await ctx.traffic.sync();
  await ctx.o.supervisor.stopTaskSet(environment, service, revision).catch((err: unknown) => {
    if (!(err instanceof NotFoundError)) throw err;
  });
  ctx.o.events.append({ type: 'service.revision.stopped', subject: serviceSubject(environment, service), data: { environment, service, revision } });
}
