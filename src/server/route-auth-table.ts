import type { FastifyInstance } from 'fastify';
import { ROUTE_AUTHS, isRouteAuth, type RouteAuth } from '../core/index.js';

/** One registered route and the authentication it declares. */
export interface RouteAuthEntry {
  readonly method: string;
  readonly url: string;
  /** Undefined when the route declares none (it is then treated as `token`). */
  readonly auth: RouteAuth | undefined;
}

const tables = new WeakMap<FastifyInstance, RouteAuthEntry[]>();

/**
 * Records every route registered from now on with the `auth` its config
 * declares, and refuses a declaration outside the vocabulary at once (a typo
 * would otherwise quietly become the strictest, or worse, be read as
 * something else). Register before any route.
 */
export function collectRouteAuth(app: FastifyInstance): void {
  const table: RouteAuthEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const declared: unknown = route.config?.auth;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (declared !== undefined && !isRouteAuth(declared)) {
      throw new TypeError(`route ${methods.join(',')} ${route.url}: config.auth must be one of ${ROUTE_AUTHS.join(', ')}, got ${JSON.stringify(declared)}`);
    }
    for (const method of methods) table.push({ method, url: route.url, auth: declared });
  });
}

/** Every route of `app` with its declared authentication, in registration order. */
export function routeAuthTable(app: FastifyInstance): readonly RouteAuthEntry[] {
  return [...(tables.get(app) ?? [])];
}
