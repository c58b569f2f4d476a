import net from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { secretsEqual } from '../core/index.js';
import { InputError, NotAllowedError } from '../shared/index.js';
import { CSRF_HEADER, decideAccess, type CredentialState } from './access-decision.js';
import { allowedHosts, hostProblem, requestTargetProblem, type ListenerNames } from './request-guard.js';
import { collectRouteAuth } from './route-auth-table.js';
import { SESSION_COOKIE, readCookie, type SessionStore } from './session.js';

/** Options of {@link registerAuth}. */
export interface AuthOptions {
  /** The API token. */
  readonly token: string;
  readonly sessions: SessionStore;
  /** The base URL the server tells clients; its host is one of the allowed Host values. */
  readonly baseUrl: () => string;
  /** Further allowed Host values, normalised. @default [] */
  readonly allowedHosts?: readonly string[];
}

/**
 * Guards every request, in this order: the request target must be a path
 * (400), the Host header must name this server (421, against DNS
 * rebinding), then the matched route's declared authentication decides
 * (see `decideAccess`). The route is the one Fastify's router matched after
 * decoding the path (`request.routeOptions`), never a reading of the raw URL.
 * Register before any route: it also records each route's declaration.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  collectRouteAuth(app);
  const extra = options.allowedHosts ?? [];
  // The allowed names change only when the listener or the base URL does: computed once per change, not per request.
  let hosts: { key: string; allowed: ReadonlySet<string> } | undefined;
  const allowedFor = (names: ListenerNames): ReadonlySet<string> => {
    const key = `${names.port}|${names.address}|${names.baseUrl}|${names.injected}`;
    if (hosts?.key !== key) hosts = { key, allowed: allowedHosts(names) };
    return hosts.allowed;
  };
  app.addHook('onRequest', async (request, reply) => {
    const targetProblem = requestTargetProblem(request.raw.url);
    if (targetProblem !== undefined) throw new InputError('SLW_ERR_API_REQUEST_TARGET', targetProblem, { issues: [{ path: 'request-target', message: targetProblem }] });

    const host = request.headers.host;
    const problem = hostProblem(host, allowedFor(listenerNames(app, request, options.baseUrl(), extra)));
    if (problem !== undefined) throw new NotAllowedError('SLW_ERR_API_HOST_NOT_ALLOWED', problem, { issues: [{ path: 'headers.host', message: problem }] });

    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    const decision = decideAccess({
      auth: request.routeOptions.config.auth,
      matched: !request.is404,
      method: request.method,
      bearer: bearerState(request, options.token),
      session: session === undefined ? 'absent' : options.sessions.verify(session) ? 'valid' : 'invalid',
      csrfHeader: request.headers[CSRF_HEADER] !== undefined,
      origin: request.headers.origin,
      ownOrigin: `${request.protocol}://${host ?? ''}`,
      fetchSite: single(request.headers['sec-fetch-site']),
    });
    if (decision.allow) return;
    if (decision.code === 'SLW_ERR_API_UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer');
    throw new NotAllowedError(decision.code, decision.message);
  });
}

function listenerNames(app: FastifyInstance, request: FastifyRequest, baseUrl: string, extra: readonly string[]): ListenerNames {
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address : undefined;
  // inject() requests have no network socket and always say `Host: localhost:80`; no browser can send one.
  const injected = !(request.raw.socket instanceof net.Socket);
  return { port: bound?.port, address: bound?.address, baseUrl, extra, injected };
}

function bearerState(request: FastifyRequest, token: string): CredentialState {
  const header = request.headers.authorization;
  if (header === undefined) return 'absent';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  return given !== '' && secretsEqual(given, token) ? 'valid' : 'invalid';
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
