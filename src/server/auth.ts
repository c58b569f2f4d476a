import type { FastifyInstance, FastifyRequest } from 'fastify';
import { secretsEqual } from '../core/index.js';
import { errorBody } from './error-handler.js';
import { SESSION_COOKIE, readCookie, type SessionStore } from './session.js';

/** Routes anyone may call without a token. */
// The GitHub webhook authenticates by its HMAC signature, which its route checks.
const OPEN_ROUTES = new Set(['/api/v1/health', '/api/v1/session', '/api/v1/webhooks/github']);

/** Header the dashboard sends with every state-changing request. */
export const CSRF_HEADER = 'x-slipway-csrf';

/**
 * Requires `Authorization: Bearer <token>`, or the dashboard's session cookie,
 * on every API route but the open ones. A cookie-authenticated request that
 * changes state must also carry `x-slipway-csrf`: a custom header that another
 * site's page cannot send without a CORS preflight, which this API never allows.
 * A refusal carries no detail.
 */
export function registerAuth(app: FastifyInstance, token: string, sessions: SessionStore): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') || OPEN_ROUTES.has(path)) return;
    if (hasBearer(request, token)) return;
    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (session !== undefined && sessions.verify(session)) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.headers[CSRF_HEADER] !== undefined) return;
      await reply.status(403).send(errorBody('SLW_ERR_API_FORBIDDEN', `state-changing requests from the dashboard need the ${CSRF_HEADER} header`));
      return;
    }
    await reply.status(401).header('www-authenticate', 'Bearer').send(errorBody('SLW_ERR_API_UNAUTHORIZED', 'Unauthorized'));
  });
}

function hasBearer(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  return given !== '' && secretsEqual(given, token);
}
