/**
 * How an HTTP route is authenticated. Every route of the API server declares
 * one in its Fastify route config (`{ config: { auth: 'session' } }`); the
 * server decides on the route its router actually matched, never on the raw
 * request target.
 *
 * - `open`: no credential; the route serves nothing secret (health, the
 *   dashboard's static files, the login exchange).
 * - `token`: only `Authorization: Bearer <API token>`; a dashboard session is
 *   not enough (minting login links).
 * - `session`: the bearer token, or the dashboard's session cookie; with the
 *   cookie, a state-changing method also needs the CSRF header, a same-origin
 *   `Origin` and no cross-site `Sec-Fetch-Site`.
 * - `webhook`: no bearer; the route verifies its own HMAC signature over the body.
 *
 * A route that declares nothing is treated as `token`, the strictest.
 */
export type RouteAuth = 'open' | 'token' | 'session' | 'webhook';

/** Every {@link RouteAuth}, for validation and listings. */
export const ROUTE_AUTHS: readonly RouteAuth[] = Object.freeze(['open', 'token', 'session', 'webhook']);

/** Whether a route config value is one of the {@link RouteAuth} words. */
export function isRouteAuth(value: unknown): value is RouteAuth {
  return typeof value === 'string' && (ROUTE_AUTHS as readonly string[]).includes(value);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route is authenticated; see {@link RouteAuth}. @default 'token' (the strictest) */
    auth?: RouteAuth;
  }
}
