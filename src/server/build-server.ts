import fastify, { type FastifyInstance } from 'fastify';
import { silentLogger, type EventLog, type Logger } from '../core/index.js';
import { registerAuth } from './auth.js';
import { registerErrorHandler } from './error-handler.js';
import { eventRoutes } from './routes/events.js';
import { eventStreamRoutes, type EventStreamOptions } from './routes/events-stream.js';
import { healthRoutes } from './routes/health.js';
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
  /** Routes of the other contexts. @default [] */
  readonly routes?: readonly RoutesPlugin[];
  /** Event stream tuning. */
  readonly eventStream?: EventStreamOptions;
}

/**
 * Builds the API server without listening, so tests can `inject()` requests.
 * Auth and the error handler are registered first: every route below them is
 * protected and every error has the same shape.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const app = fastify({ logger: false, bodyLimit: options.bodyLimitBytes ?? 1024 * 1024, forceCloseConnections: true });
  const logger = options.logger ?? silentLogger;
  // The API speaks JSON only; anything else is a 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');
  registerErrorHandler(app, logger);
  registerAuth(app, options.token);
  healthRoutes(app);
  statusRoutes(app, options.status ?? new Map());
  eventRoutes(app, options.events);
  eventStreamRoutes(app, options.events, options.eventStream);
  for (const plugin of options.routes ?? []) await plugin(app);
  return app;
}
