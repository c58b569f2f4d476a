import { allocatePort } from '../../core/index.js';
import { NotFoundError, servicesIn } from '../../shared/index.js';
import type { LocalContext } from './local-context.js';

/**
 * Gives every service of every environment its stable service-discovery
 * port: the ones already stored are kept, the missing ones allocated once and stored.
 */
export async function allocateServicePorts(ctx: LocalContext): Promise<void> {
  ctx.ports.clear();
  for (const [key, port] of ctx.state.all()) ctx.ports.set(key, port);
  const taken = new Set(ctx.ports.values());
  for (const env of Object.keys(ctx.o.app.environments)) {
    for (const service of Object.keys(servicesIn(ctx.o.app, env))) {
      if (ctx.ports.has(`${env}/${service}`)) continue;
      const port = await allocatePort(taken);
      taken.add(port);
      ctx.state.set(env, service, port);
      ctx.ports.set(`${env}/${service}`, port);
    }
  }
}

/** The URL a task uses to reach a service of its environment: the router's stable listener. */
export function serviceUrl(ctx: LocalContext, environment: string, service: string): string {
  const port = ctx.ports.get(`${environment}/${service}`);
  if (port === undefined) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${service}" in environment "${environment}"`);
  return `http://127.0.0.1:${port}`;
}
