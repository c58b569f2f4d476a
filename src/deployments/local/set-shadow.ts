import { NotFoundError } from '../../shared/index.js';
import type { ShadowRequest } from '../target/shadow-target.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';

/**
 * Mirrors a share of the service's requests to a revision and compares the answers in the
 * router (the rule is kept on the revision's row, so a restarted control plane pushes it again).
 * Resolves once the router serves the rule.
 */
export async function startShadow(ctx: LocalContext, r: ShadowRequest): Promise<void> {
  findService(ctx.o.app, r.environment, r.service);
  if (ctx.revisions.tryFind(r.environment, r.service, r.revision) === undefined) {
    throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${r.revision}" of ${r.service} in ${r.environment}`);
  }
  const s = r.shadow;
  ctx.revisions.setShadow(r.environment, r.service, r.revision, {
    id: r.id,
    percent: s.percent,
    methods: s.methods,
    maxBodyBytes: s.maxBodyBytes,
    maxConcurrent: s.maxConcurrent,
    timeoutMs: s.timeoutMs,
    ignore: s.ignore,
    headers: s.compareHeaders,
    body: s.compareBody,
  });
  await ctx.traffic.sync();
}

/** Stops mirroring for the service (idempotent); resolves once the router no longer mirrors. */
export async function stopShadow(ctx: LocalContext, environment: string, service: string): Promise<void> {
  findService(ctx.o.app, environment, service);
  ctx.revisions.setShadow(environment, service, undefined, null);
  await ctx.traffic.sync();
}
