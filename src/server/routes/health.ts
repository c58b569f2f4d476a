import type { FastifyInstance } from 'fastify';

/** `GET /api/v1/health`: open, for probes; says only that the API answers. */
export function healthRoutes(app: FastifyInstance): void {
  app.get('/api/v1/health', { config: { auth: 'open' } }, async () => ({ status: 'ok' }));
}
