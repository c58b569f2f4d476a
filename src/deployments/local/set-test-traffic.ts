import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';

/** Points the environment's test listener at a revision of the service (or at none). */
export async function setTestTraffic(ctx: LocalContext, environment: string, service: string, revision: string | undefined): Promise<void> {
  findService(ctx.o.app, environment, service);
  ctx.revisions.setTestTraffic(environment, service, revision);
  await ctx.traffic.sync();
}
