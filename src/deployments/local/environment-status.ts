import { LIVE_TASK_STATES } from '../../runtime/index.js';
import { environmentRouting } from './environment-routing.js';
import type { LocalContext } from './local-context.js';
import { serviceUrl } from './service-ports.js';

/** Status of one environment. */
export interface EnvironmentStatus {
  readonly name: string;
  readonly ingressPort: number;
  readonly services: readonly {
    readonly name: string;
    readonly url: string;
    readonly revisions: readonly {
      readonly revision: string;
      readonly weightPercent: number;
      readonly desiredCount: number;
      readonly tasks: readonly { readonly id: string; readonly pid: number | null; readonly port: number; readonly state: string; readonly uptimeMs: number; readonly restarts: number }[];
    }[];
  }[];
}

/** Environments, services, revisions with weights, and tasks. */
export function environmentStatus(ctx: LocalContext): EnvironmentStatus[] {
  const tasks = ctx.o.supervisor.listTasks({ states: LIVE_TASK_STATES });
  const now = ctx.o.clock.now();
  return environmentRouting(ctx.o.app, ctx.ports).map((env) => ({
    name: env.name,
    ingressPort: env.ingressPort,
    services: Object.keys(ctx.o.app.services).map((service) => ({
      name: service,
      url: serviceUrl(ctx, env.name, service),
      revisions: ctx.revisions.list({ environment: env.name, service }).map((r) => ({
        revision: r.revision,
        weightPercent: r.weightPercent,
        desiredCount: r.desiredCount,
        tasks: tasks
          .filter((t) => t.environment === env.name && t.service === service && t.revision === r.revision)
          .map((t) => ({ id: t.id, pid: t.pid, port: t.port, state: t.state, uptimeMs: now - t.startedAtMs, restarts: t.restarts })),
      })),
    })),
  }));
}
