import type { FastifyInstance } from 'fastify';
import { secretsEqual } from '../core/index.js';
import { errorBody } from './error-handler.js';

/** Routes anyone may call without a token. */
const OPEN_ROUTES = new Set(['/api/v1/health']);

/**
 * Requires `Authorization: Bearer <token>` on every API route but the open
 * ones. A refusal carries no detail: it does not say whether the token was
 * missing, malformed or wrong.
 */
export function registerAuth(app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || OPEN_ROUTES.has(path)) return;
    const header = request.headers.authorization;
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (given !== '' && secretsEqual(given, token)) return;
    await reply.status(401).header('www-authenticate', 'Bearer').send(errorBody('SLW_ERR_API_UNAUTHORIZED', 'Unauthorized'));
  });
}
