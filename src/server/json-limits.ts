import type { FastifyInstance } from 'fastify';
import { jsonLimitError, type JsonLimits } from '../shared/index.js';

/**
 * Bounds the shape of every parsed request body before any route sees it: too deep
 * is `SLW_ERR_API_TOO_DEEP` (400), too many values `SLW_ERR_API_BODY_TOO_LARGE` (413),
 * each naming the limit and the path where it was passed. Byte size is bounded
 * earlier, by the server's body limit. Past this hook, recursion over a body
 * (serialising an event's `data`, freezing, messages) cannot exhaust the stack.
 * Raw bodies (a Buffer, as the webhook route reads them) are not JSON and pass.
 */
export function registerJsonLimits(app: FastifyInstance, limits: JsonLimits = {}): void {
  app.addHook('preValidation', async (request) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null) return;
    const error = jsonLimitError(body, limits);
    if (error !== undefined) throw error;
  });
}
