import fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { silentLogger, type EventLog, type Logger } from '../core/index.js';
import type { JsonLimits } from '../shared/index.js';
import { registerAuth } from './auth.js';
import { errorBody, registerErrorHandler } from './error-handler.js';
import { registerJsonLimits } from './json-limits.js';
import { compileAllowedHosts } from './request-guard.js';
import { registerSecurityHeaders, setSecurityHeaders } from './security-headers.js';
import { SessionStore } from './session.js';
import { dashboardDir, dashboardRoutes } from './static.js';
import { sessionRoutes } from './routes/session.js';
import { eventRoutes } from './routes/events.js';
import { eventStreamRoutes, type EventStreamOptions } from './routes/events-stream.js';
import { healthRoutes } from './routes/health.js';
import { apiNotFoundRoutes } from './routes/api-not-found.js';
import { statusRoutes, type StatusContributor } from './routes/status.js';

/** A context's routes, registered by the composition root. */
export type RoutesPlugin = (app: FastifyInstance) => void | Promise<void>;

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  /** The event log behind `/api/v1/events`. */
  readonly events: EventLog;
  /** The bearer token every non-open route requires. */
  readonly token: string;
  /** Where unexpected errors are logged. @default silentLogger */
  readonly logger?: Logger;
  /** Parts of `GET /api/v1/status`, by key. @default just `server` */
  readonly status?: ReadonlyMap<string, StatusContributor>;
  /** Largest accepted request body. @default 1 MiB */
  readonly bodyLimitBytes?: number;
  /** Deepest nesting and most values of a JSON request body. @default { maxDepth: 64, maxValues: 100_000 } */
  readonly jsonLimits?: JsonLimits;
  /** Routes of the other contexts. @default [] */
  readonly routes?: readonly RoutesPlugin[];
  /** Event stream tuning. */
  readonly eventStream?: EventStreamOptions;
  /** Dashboard login links and sessions. @default a new store */
  readonly sessions?: SessionStore;
  /** The base URL login links point at. @default 'http://127.0.0.1' */
  readonly baseUrl?: () => string;
  /** Folder of the built dashboard; `null` serves none. @default web/dist of this package */
  readonly dashboardDir?: string | null;
  /**
   * Host names (`name` or `name:port`) the server answers to besides its own
   * loopback names and the host of `baseUrl`: a tunnel or a reverse proxy in front of it.
   * @default []
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * Builds the API server without listening, so tests can `inject()` requests.
 * Security headers, the error handler and auth are registered first: every
 * route below them declares its authentication (`config.auth`), is guarded
 * by it, sees only bounded JSON bodies, and every error has the same shape.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const allowedHosts = compileAllowedHosts(options.allowedHosts ?? []);
  const app = fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    forceCloseConnections: true,
    // A target the router cannot decode (`/%zz`) is refused before any hook runs: answer it in the one error shape.
    frameworkErrors: (err, request, reply) => {
      setSecurityHeaders(reply.raw);
      const message = `request target ${JSON.stringify((request.raw.url ?? '').slice(0, 200))}: ${err.message}`;
      void (reply as FastifyReply).status(400).send(errorBody('SLW_ERR_API_REQUEST_TARGET', message, [{ path: 'request-target', message }]));
    },
  });
  const logger = options.logger ?? silentLogger;
  // The API speaks JSON only; anything else is a 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  registerSecurityHeaders(app);
  registerErrorHandler(app, logger);
  const sessions = options.sessions ?? new SessionStore();
  const baseUrl = options.baseUrl ?? (() => 'http://127.0.0.1');
  registerAuth(app, { token: options.token, sessions, baseUrl, allowedHosts });
  // Before every route: a body nested thousands of levels deep is a 400 here, not a stack overflow later.
  registerJsonLimits(app, options.jsonLimits);
  healthRoutes(app);
  sessionRoutes(app, sessions, baseUrl);
  statusRoutes(app, options.status ?? new Map());
  eventRoutes(app, options.events);
  eventStreamRoutes(app, options.events, options.eventStream);
  for (const plugin of options.routes ?? []) await plugin(app);
  apiNotFoundRoutes(app);
  dashboardRoutes(app, options.dashboardDir === null ? undefined : (options.dashboardDir ?? dashboardDir()));
  return app;
}
