import type { FastifyInstance } from 'fastify';

/**
 * Every `/api/...` path no route serves, for every method: authenticated
 * like the dashboard's routes, then answered 404. Without it, an unknown API
 * GET would fall to the dashboard's open static route, and an anonymous
 * caller could tell which routes exist.
 */
export function apiNotFoundRoutes(app: FastifyInstance): void {
  app.all('/api/*', { config: { auth: 'session' } }, async (_request, reply) => reply.callNotFound());
}
