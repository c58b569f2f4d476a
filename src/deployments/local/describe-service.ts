import type { ServiceDescription } from '../target/service-description.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';
import { revisionHealth } from './revision-health.js';

/** The stored revisions of a service with their weights, and the health of their task sets under the supervisor. */
export function describeService(ctx: LocalContext, environment: string, service: string): ServiceDescription {
  findService(ctx.o.app, environment, service);
  return {
    environment,
    service,
    revisions: ctx.revisions.list({ environment, service }).map((r) => ({
      revision: r.revision,
      weightPercent: r.weightPercent,
      testTraffic: r.testTraffic,
      desiredCount: r.desiredCount,
      sourceDir: r.sourceDir,
      env: r.env,
      secrets: r.secrets,
      health: revisionHealth(ctx, environment, service, r.revision),
    })),
  };
}
