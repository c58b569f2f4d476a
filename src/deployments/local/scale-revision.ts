import { NotFoundError } from '../../shared/index.js';
import type { LocalContext } from './local-context.js';

/** Sets the number of tasks of a running revision (idempotent). */
export async function scaleRevision(ctx: LocalContext, environment: string, service: string, revision: string, desiredCount: number): Promise<void> {
  const r = ctx.revisions.tryFind(environment, service, revision);
  if (!r) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
  ctx.revisions.setDesiredCount(environment, service, revision, desiredCount);
  await ctx.o.supervisor.scaleTaskSet({ environment, service, revision }, desiredCount);
}
