import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotAllowedError, parseInput } from '../../shared/index.js';
import { SESSION_COOKIE, readCookie, type SessionStore } from '../session.js';

const loginBody = z.strictObject({ token: z.string().min(1).max(200) });

/**
 * `POST /api/v1/session` exchanges a one-time login token for the dashboard's
 * HttpOnly, SameSite=Strict session cookie; `DELETE` ends the session;
 * `POST /api/v1/session/links` (authenticated) makes a new one-time link.
 */
export function sessionRoutes(app: FastifyInstance, sessions: SessionStore, baseUrl: () => string): void {
  app.post('/api/v1/session', { config: { auth: 'open' } }, async (request, reply) => {
    const { token } = parseInput(loginBody, request.body, 'body');
    const session = sessions.exchange(token);
    if (session === undefined) throw new NotAllowedError('SLW_ERR_API_UNAUTHORIZED', 'this login link is unknown, expired or already used; run `slipway dashboard` for a new one');
    return reply.header('set-cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`).send({ ok: true });
  });

  app.delete('/api/v1/session', { config: { auth: 'session' } }, async (request, reply) => {
    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (session) sessions.revoke(session);
    return reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).status(204).send();
  });

  app.post('/api/v1/session/links', { config: { auth: 'token' } }, async () => ({ url: `${baseUrl()}/login?token=${sessions.createLoginToken()}` }));
}
