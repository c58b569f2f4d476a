import { ConflictError, InputError, NotFoundError } from '../../shared/index.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';
import { serviceSubject } from './service-subject.js';

/**
 * Shifts a service's traffic between its revisions. Weights are integers
 * summing to 100; a revision that is given traffic must have a healthy
 * task registered with the router, so a shift never sends requests nowhere.
 * Resolves once the router serves the new weights (a weight-only router
 * update when nothing else about the routing changed).
 */
export async function setWeights(ctx: LocalContext, environment: string, service: string, weights: Readonly<Record<string, number>>, reason: string): Promise<void> {
  findService(ctx.o.app, environment, service);
  const known = new Set(ctx.revisions.list({ environment, service }).map((r) => r.revision));
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  for (const [revision, w] of Object.entries(weights)) {
    if (!known.has(revision)) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
    if (!Number.isInteger(w) || w < 0 || w > 100) throw new InputError('SLW_ERR_DEPLOY_WEIGHTS_INVALID', `weights.${revision}: expected an integer from 0 to 100, got ${w}`);
  }
  if (sum !== 100) throw new InputError('SLW_ERR_DEPLOY_WEIGHTS_INVALID', `weights must sum to 100, got ${sum}`);
  for (const [revision, w] of Object.entries(weights)) {
    if (w === 0) continue;
    const healthy = ctx.o.supervisor.healthyTasks(environment, service, revision).map((t) => t.id);
    // A sync registers tasks that became healthy since the last one; when the router already routes them there is nothing to wait for.
    if (healthy.length > 0 && !ctx.traffic.routes(healthy)) await ctx.traffic.sync();
    if (healthy.length === 0 || !ctx.traffic.routes(healthy)) {
      throw new ConflictError('SLW_ERR_DEPLOY_NOT_READY', `revision "${revision}" of ${service} in ${environment} has no healthy task registered with the router yet`);
    }
  }
  const before = Object.fromEntries(ctx.revisions.list({ environment, service }).map((r) => [r.revision, r.weightPercent]));
  ctx.revisions.setWeights(environment, service, weights);
  // Only the weights moved (unless something else changed meanwhile): the router takes just those.
  await ctx.traffic.syncWeights(environment, service);
  ctx.o.events.append({ type: 'service.traffic.shifted', subject: serviceSubject(environment, service), data: { environment, service, from: before, to: { ...weights }, reason } });
}
