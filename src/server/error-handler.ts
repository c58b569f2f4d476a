import type { FastifyError, FastifyInstance } from 'fastify';
import { SlipwayError, errorBody, errorSpec } from '../shared/index.js';
import type { Logger } from '../core/index.js';

export { errorBody };

/**
 * The only place where errors become HTTP responses. Route handlers throw
 * slipway errors; this maps their catalog code to a status and one JSON shape.
 * Unexpected errors are logged with their stack and answered without detail.
 */
export function registerErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError | SlipwayError | Error, request, reply) => {
    if (err instanceof SlipwayError) {
      return reply.status(err.status).send(errorBody(err.code, err.message, err.issues));
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('SLW_ERR_API_BODY_TOO_LARGE', errorSpec('SLW_ERR_API_BODY_TOO_LARGE').message));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('SLW_ERR_API_UNSUPPORTED_MEDIA', `content type "${request.headers['content-type'] ?? ''}" is not supported; send application/json`));
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, empty body with a JSON content type.
      return reply.status(fe.statusCode).send(errorBody('SLW_ERR_API_VALIDATION', `body: ${fe.message}`, [{ path: 'body', message: fe.message }]));
    }
    logger.error('request failed', { method: request.method, url: request.url, err });
    return reply.status(500).send(errorBody('SLW_ERR_API_INTERNAL', errorSpec('SLW_ERR_API_INTERNAL').message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('SLW_ERR_API_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
