import path from 'node:path';
import type { ContainerSpec, TaskSetSpec } from '../../runtime/index.js';
import { interpolateEnv, isAutoscaled } from '../../shared/index.js';
import type { ServiceRevision } from '../store/revision-store.js';
import { findService } from './find-service.js';
import type { LocalContext } from './local-context.js';
import { serviceUrl } from './service-ports.js';

/** The revision fields a task-set spec is built from. */
export type TaskSetSource = Pick<ServiceRevision, 'environment' | 'service' | 'revision' | 'sourceDir' | 'desiredCount'> & { readonly env?: Readonly<Record<string, string>>; readonly secrets?: Readonly<Record<string, number>> };

/** The task-set spec of a revision: the service's command, health and scaling, with its environment resolved; as containers of `container` when given. */
export function taskSetSpec(ctx: LocalContext, r: TaskSetSource, container?: ContainerSpec): TaskSetSpec {
  const svc = findService(ctx.o.app, r.environment, r.service);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env)) env[k] = interpolateEnv(v, (name) => serviceUrl(ctx, r.environment, name));
  Object.assign(env, r.env ?? {});
  env.OTEL_SERVICE_NAME = svc.name;
  if (ctx.o.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = ctx.o.otlpEndpoint;
  else env.OTEL_SDK_DISABLED = 'true';
  const { scaling } = svc;
  const tracks = isAutoscaled(scaling);
  // Health, port variable and scaling are the service's compiled model as they are: the
  // runtime has no defaults of its own, so what the app model says is what runs.
  return {
    environment: r.environment,
    service: r.service,
    revision: r.revision,
    command: svc.start,
    cwd: path.resolve(r.sourceDir, svc.path),
    env,
    desiredCount: r.desiredCount,
    portEnv: svc.portEnv,
    health: svc.health,
    drainMs: ctx.o.drainMs ?? 2000,
    stopTimeoutMs: ctx.o.stopTimeoutMs ?? 10_000,
    ...(tracks ? { scaling } : {}),
    ...(r.secrets && Object.keys(r.secrets).length > 0 ? { secrets: r.secrets } : {}),
    ...(container !== undefined ? { container } : {}),
  };
}
