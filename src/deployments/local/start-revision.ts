import type { ServiceRevision } from '../store/revision-store.js';
import type { StartRevisionRequest } from '../target/traffic-target.js';
import { pinSecrets } from '../secret-pins.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';
import { serviceSubject } from './service-subject.js';
import { taskSetSpec } from './task-set-spec.js';
import { validRevision } from './valid-revision.js';
import type { ContainerSpec } from '../../runtime/index.js';
import { SlipwayError, type ResolvedService } from '../../shared/index.js';

/**
 * Runs a revision of a service (idempotent). The first revision of a
 * service gets all its traffic once it is registered; a later one starts
 * with 0% until weights are shifted to it.
 */
export async function startRevision(ctx: LocalContext, req: StartRevisionRequest): Promise<ServiceRevision> {
  const svc = findService(ctx.o.app, req.environment, req.service);
  validRevision(req.revision);
  const desiredCount = req.desiredCount ?? svc.scaling.min;
  const first = ctx.revisions.list({ environment: req.environment, service: req.service }).length === 0;
  // Pinned here when the request names no versions (a first start, the low-level API): the versions set now.
  const secrets = req.secrets ?? pinSecrets(svc, req.environment, ctx.o.secrets);
  // The image comes first: a build that fails leaves no revision behind, and the previous one serving.
  const container = svc.runtime === 'container' ? await containerSpec(ctx, req, svc) : undefined;
  ctx.revisions.upsert({ ...req, desiredCount, env: req.env ?? {}, secrets, createdAtMs: ctx.o.clock.now(), weightPercent: first ? 100 : 0 });
  const revision = ctx.revisions.tryFind(req.environment, req.service, req.revision)!;
  await ctx.o.supervisor.applyTaskSet(taskSetSpec(ctx, revision, container));
  ctx.o.events.append({
    type: 'service.revision.started',
    subject: serviceSubject(req.environment, req.service),
    data: { environment: req.environment, service: req.service, revision: req.revision, sourceDir: req.sourceDir, desiredCount, weightPercent: revision.weightPercent },
  });
  await ctx.traffic.sync();
  return revision;
}

async function containerSpec(ctx: LocalContext, req: StartRevisionRequest, svc: ResolvedService): Promise<ContainerSpec> {
  if (ctx.o.containers === undefined) {
    throw new SlipwayError('SLW_ERR_IMAGES_NO_ENGINE', `${req.service} runs as containers (runtime: 'container') but this control plane has no container engine`);
  }
  return ctx.o.containers.specFor(req, svc);
}
