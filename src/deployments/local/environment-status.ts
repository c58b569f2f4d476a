import { LIVE_TASK_STATES, type ContainerSpec } from '../../runtime/index.js';
import { servicesIn, type EnvironmentStatusDto, type RevisionContainerDto } from '../../shared/index.js';
import { environmentRouting } from './environment-routing.js';
import type { LocalContext } from './local-context.js';
import { serviceUrl } from './service-ports.js';

/** An environment and what runs in it, as `GET /api/v1/environments` and the status show it. */
export type EnvironmentStatus = EnvironmentStatusDto;

/** Environments, services, revisions with weights, and tasks. */
export function environmentStatus(ctx: LocalContext): EnvironmentStatus[] {
  const tasks = ctx.o.supervisor.listTasks({ states: LIVE_TASK_STATES });
  const now = ctx.o.clock.now();
  const sets = ctx.o.supervisor.listTaskSets();
  return environmentRouting(ctx.o.app, ctx.ports).map((env) => ({
    name: env.name,
    ingressPort: env.ingressPort,
    services: Object.keys(servicesIn(ctx.o.app, env.name)).map((service) => ({
      name: service,
      url: serviceUrl(ctx, env.name, service),
      revisions: ctx.revisions.list({ environment: env.name, service }).map((r) => ({
        revision: r.revision,
        weightPercent: r.weightPercent,
        desiredCount: r.desiredCount,
        tasks: tasks
          .filter((t) => t.environment === env.name && t.service === service && t.revision === r.revision)
          .map((t) => ({ id: t.id, pid: t.pid, port: t.port, state: t.state, uptimeMs: now - t.startedAtMs, restarts: t.restarts })),
        ...containerOf(sets.find((s) => s.environment === env.name && s.service === service && s.revision === r.revision)?.spec.container),
      })),
    })),
  }));
}

function containerOf(spec: ContainerSpec | undefined): { container?: RevisionContainerDto } {
  if (spec === undefined) return {};
  const u = spec.unappliedLimits;
  const note = u === undefined ? null : `${[...(u.cpus !== undefined ? [`cpus ${u.cpus}`] : []), ...(u.memoryMiB !== undefined ? [`memory ${u.memoryMiB} MiB`] : [])].join(' and ')} not applied: ${u.reason}`;
  return { container: { image: spec.image, cpus: spec.cpus ?? null, memoryMiB: spec.memoryMiB ?? null, limitsNotApplied: note } };
}
