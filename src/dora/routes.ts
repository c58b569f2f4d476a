import type { FastifyInstance } from 'fastify';
import { doraQuerySchema, parseInput } from '../shared/index.js';
import type { DoraService } from './service.js';

/** `GET /api/v1/dora?window=30d&service=&end=`: the four keys (docs/dora.md). */
export function doraRoutes(service: DoraService): (app: FastifyInstance) => void {
  return (app) => {
    app.get('/api/v1/dora', { config: { auth: 'session' } }, async (request) => {
      const q = parseInput(doraQuerySchema, request.query, 'query');
      return service.report({ ...(q.window === undefined ? {} : { window: q.window }), ...(q.service === undefined ? {} : { service: q.service }), ...(q.end === undefined ? {} : { endMs: q.end }) });
    });
  };
}
