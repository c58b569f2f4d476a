import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ImpressionRecorder } from '../impressions/impression-counter.js';
import { answerBulk, answerFlag, answerImpressions, answerSnapshot, authenticateOfrep, parseErrorReply, type FlagSource, type OfrepReply, type OfrepWho } from './answer.js';
import type { FlagCaller, FlagCredentialCheck } from './credentials.js';

export type { FlagSnapshot, FlagSource } from './answer.js';

/** Options of {@link ofrepRoutes}. */
export interface OfrepRoutesOptions {
  readonly store: FlagSource;
  /** Checks the read-only flag credential each request presents (`Authorization: Bearer` or `X-API-Key`). */
  readonly authenticate: FlagCredentialCheck;
  /**
   * The environment whose flags a request reads; undefined refuses it (403).
   * @default the environment the caller's credential is bound to
   */
  readonly environmentOf?: (caller: FlagCaller, request: FastifyRequest) => string | undefined;
  /** Where each evaluation of a stored flag is counted. @default none */
  readonly impressions?: ImpressionRecorder;
}

/** The OFREP single-flag route. */
export const OFREP_FLAG_PATH = '/ofrep/v1/evaluate/flags/:key';
/** The OFREP bulk route. */
export const OFREP_BULK_PATH = '/ofrep/v1/evaluate/flags';
/**
 * slipway's snapshot route (not part of OFREP): the definitions of the caller's environment, for
 * providers that evaluate in process. `ETag`/`If-None-Match` as the bulk route, and a long poll:
 * `?waitMs=` (at most 30 000) holds a 304 until the snapshot changes or the wait ends.
 */
export const FLAG_SNAPSHOT_PATH = '/flags/v1/snapshot';
/** Where in-process providers report the evaluations they made (not part of OFREP). */
export const FLAG_IMPRESSIONS_PATH = '/flags/v1/impressions';

/** The caller and environment of each OFREP request, once its credential is checked. */
const callers = new WeakMap<FastifyRequest, OfrepWho>();

// The onRequest hook has run (and refused the request when it found no caller) before any handler.
const callerOf = (request: FastifyRequest): OfrepWho => callers.get(request)!;

const send = (reply: FastifyReply, answer: OfrepReply): FastifyReply => {
  void reply.status(answer.status).headers(answer.headers ?? {});
  return answer.body === undefined ? reply.send() : reply.send(answer.body);
};

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP v1) over the flag store, so any OpenFeature
 * SDK with the OFREP provider evaluates slipway's flags:
 *
 * - `POST /ofrep/v1/evaluate/flags/{key}`: 200 with the value, variant and reason; 404
 *   `FLAG_NOT_FOUND`; 400 with `INVALID_CONTEXT`, `PARSE_ERROR`, `TARGETING_KEY_MISSING` or `GENERAL`.
 * - `POST /ofrep/v1/evaluate/flags`: every flag of the environment, 200 with an `ETag`, or 304
 *   when `If-None-Match` names the current one; 400 (`bulkEvaluationFailure`) for a bad request.
 *
 * The routes declare `auth: 'webhook'` (the server's API token is not asked for): they check their
 * own credential, a read-only flag credential, before reading the body; a missing or wrong one is
 * 401, one that names no environment 403. Protocol outcomes are answered in OFREP's bodies; every
 * other error goes to the server's error handler. The answers are those of `answer.ts`, which the
 * OFREP worker's listener serves too.
 */
export function ofrepRoutes(options: OfrepRoutesOptions) {
  const environmentOf = options.environmentOf ?? ((caller: FlagCaller) => caller.environment);
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (ofrep) => {
      ofrep.addHook('onRequest', async (request, reply) => {
        const who = authenticateOfrep(request.headers, options.authenticate, (caller) => environmentOf(caller, request));
        if ('error' in who) {
          void reply.headers(who.headers);
          throw who.error;
        }
        callers.set(request, who);
      });
      // A body that is not JSON is OFREP's PARSE_ERROR; anything else is the server's to answer.
      ofrep.setErrorHandler(async (err: FastifyError, request, reply) => {
        if (err.code !== 'FST_ERR_CTP_INVALID_JSON_BODY' && err.code !== 'FST_ERR_CTP_EMPTY_JSON_BODY') throw err;
        return send(reply, parseErrorReply((request.params as { key?: string }).key, err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'));
      });

      ofrep.post<{ Params: { key: string } }>(OFREP_FLAG_PATH, { config: { auth: 'webhook' } }, async (request, reply) => send(reply, answerFlag(options, callerOf(request), request.params.key, request.body)));
      ofrep.post(OFREP_BULK_PATH, { config: { auth: 'webhook' } }, async (request, reply) => send(reply, answerBulk(options, callerOf(request), request.body, request.headers['if-none-match'])));
      ofrep.get(FLAG_SNAPSHOT_PATH, { config: { auth: 'webhook' } }, async (request, reply) => {
        const gone = { gone: () => reply.raw.destroyed, onGone: (l: () => void) => (reply.raw.once('close', l), () => void reply.raw.off('close', l)) };
        return send(reply, await answerSnapshot(options, callerOf(request), (request.query as { waitMs?: unknown }).waitMs, request.headers['if-none-match'], gone));
      });
      ofrep.post(FLAG_IMPRESSIONS_PATH, { config: { auth: 'webhook' } }, async (request, reply) => send(reply, answerImpressions(options, callerOf(request), request.body)));
    });
  };
}
