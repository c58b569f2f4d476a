import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, NotAllowedError } from '../../shared/index.js';
import { evaluateStoredFlag } from '../evaluate-stored.js';
import type { ImpressionRecorder } from '../impressions/impression-counter.js';
import type { EvaluationResult } from '../model.js';
import type { StoredFlag } from '../store/model.js';
import type { FlagCaller, FlagCredentialCheck } from './credentials.js';
import { etagOf, ifNoneMatchMatches } from './etag.js';
import type { OfrepBulkEvaluationFailure, OfrepBulkEvaluationSuccess, OfrepEvaluationFailure } from './model.js';
import { parseEvaluationRequest } from './parse-request.js';
import { toOfrepAnswer, toOfrepItem } from './to-ofrep.js';

/** What the OFREP routes read of the flag store. */
export interface FlagSource {
  /** The flags of an environment. */
  list(environment: string): readonly StoredFlag[];
  /** One flag of an environment, if it has it. */
  tryGet(environment: string, key: string): StoredFlag | undefined;
  /** Calls `listener` after each change of any flag; returns the function that stops it (the snapshot's long poll waits on it). */
  onChange(listener: () => void): () => void;
}

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

/** The longest long poll of {@link FLAG_SNAPSHOT_PATH}. */
const MAX_WAIT_MS = 30_000;
/** Most series one impressions report may carry. */
const MAX_REPORTED_SERIES = 1000;

/** `GET /flags/v1/snapshot`: an environment's flags as stored, for in-process evaluation. */
export interface FlagSnapshot {
  readonly environment: string;
  readonly flags: readonly StoredFlag[];
}

/** The caller and environment of each OFREP request, once its credential is checked. */
const callers = new WeakMap<FastifyRequest, { readonly caller: FlagCaller; readonly environment: string }>();

// The onRequest hook has run (and refused the request when it found no caller) before any handler.
const callerOf = (request: FastifyRequest): { readonly caller: FlagCaller; readonly environment: string } => callers.get(request)!;

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
 * other error goes to the server's error handler.
 */
export function ofrepRoutes(options: OfrepRoutesOptions) {
  const environmentOf = options.environmentOf ?? ((caller: FlagCaller) => caller.environment);
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (ofrep) => {
      ofrep.addHook('onRequest', async (request, reply) => {
        const credential = presentedCredential(request);
        const caller = credential === undefined ? undefined : options.authenticate(credential);
        if (caller === undefined) {
          void reply.header('www-authenticate', 'Bearer');
          throw new NotAllowedError('SLW_ERR_API_UNAUTHORIZED', 'Unauthorized');
        }
        const environment = environmentOf(caller, request);
        if (environment === undefined) throw new NotAllowedError('SLW_ERR_API_FORBIDDEN', `the flag credential of ${caller.service} is not bound to an environment`);
        callers.set(request, { caller, environment });
      });
      // A body that is not JSON is OFREP's PARSE_ERROR; anything else is the server's to answer.
      ofrep.setErrorHandler(async (err: FastifyError, request, reply) => {
        if (err.code !== 'FST_ERR_CTP_INVALID_JSON_BODY' && err.code !== 'FST_ERR_CTP_EMPTY_JSON_BODY') throw err;
        const errorDetails = `body: ${err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'empty, expected a JSON object with a context' : 'not valid JSON'}`;
        const key = (request.params as { key?: string }).key;
        const body: OfrepEvaluationFailure | OfrepBulkEvaluationFailure = key === undefined ? { errorCode: 'PARSE_ERROR', errorDetails } : { key, errorCode: 'PARSE_ERROR', errorDetails };
        return reply.status(400).send(body);
      });

      ofrep.post<{ Params: { key: string } }>(OFREP_FLAG_PATH, { config: { auth: 'webhook' } }, async (request, reply) => {
        const { caller, environment } = callerOf(request);
        const key = request.params.key;
        const parsed = parseEvaluationRequest(request.body);
        if (!parsed.ok) return reply.status(400).send({ key, errorCode: parsed.errorCode, errorDetails: parsed.errorDetails } satisfies OfrepEvaluationFailure);
        const stored = options.store.tryGet(environment, key);
        const result = evaluateStoredFlag(environment, key, stored, parsed.context);
        if (stored !== undefined) count(options.impressions, environment, caller, result);
        const answer = toOfrepAnswer(result, stored?.version);
        return reply.status(answer.status).send(answer.body);
      });

      ofrep.post(OFREP_BULK_PATH, { config: { auth: 'webhook' } }, async (request, reply) => bulk(options, request, reply));
      ofrep.get(FLAG_SNAPSHOT_PATH, { config: { auth: 'webhook' } }, async (request, reply) => snapshot(options, request, reply));
      ofrep.post(FLAG_IMPRESSIONS_PATH, { config: { auth: 'webhook' } }, async (request, reply) => {
        const { caller, environment } = callerOf(request);
        const parsed = parseImpressionReport(request.body, (key) => options.store.tryGet(environment, key));
        if (typeof parsed === 'string') throw new InputError('SLW_ERR_API_VALIDATION', parsed, { issues: [{ path: 'body', message: parsed }] });
        for (const i of parsed) options.impressions?.record({ environment, service: caller.service, flag: i.flag, variant: i.variant, reason: i.reason }, i.count);
        return reply.status(204).send();
      });
    });
  };
}

async function snapshot(options: OfrepRoutesOptions, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { environment } = callerOf(request);
  const raw = (request.query as { waitMs?: unknown }).waitMs;
  const waitMs = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) {
    throw new InputError('SLW_ERR_API_VALIDATION', `query.waitMs: expected an integer from 0 to ${MAX_WAIT_MS}, got ${JSON.stringify(raw)}`, { issues: [{ path: 'query.waitMs', message: `expected an integer from 0 to ${MAX_WAIT_MS}` }] });
  }
  const read = (): { body: FlagSnapshot; etag: string } => {
    const body: FlagSnapshot = { environment, flags: options.store.list(environment) };
    return { body, etag: etagOf(body) };
  };
  let current = read();
  const held = request.headers['if-none-match'];
  const deadline = Date.now() + waitMs;
  // A long poll: the caller has this snapshot, so answer when it changes (or at the deadline). The
  // store says when any flag changed; a change of another environment reads the same tag again.
  while (ifNoneMatchMatches(held, current.etag) && Date.now() < deadline && !reply.raw.destroyed) {
    await nextChange(options.store, deadline - Date.now(), reply);
    current = read();
  }
  void reply.header('etag', current.etag).header('cache-control', 'no-cache');
  if (ifNoneMatchMatches(held, current.etag)) return reply.status(304).send();
  return reply.status(200).send(current.body);
}

/** Resolves at the store's next change, after `ms`, or when the caller goes away, whichever is first. */
function nextChange(store: FlagSource, ms: number, reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop();
      reply.raw.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = store.onChange(done);
    reply.raw.once('close', done);
  });
}

/** One series of an impressions report. */
interface ReportedImpression {
  readonly flag: string;
  readonly variant: string;
  readonly reason: string;
  readonly count: number;
}

const REASONS = new Set(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR']);

/**
 * Checks `{ impressions: [{ flag, variant, reason, count }] }`: only stored flags, variants the flag
 * can serve and OpenFeature's reasons, so a caller cannot grow the series without bound.
 * @returns the series, or what is wrong
 */
function parseImpressionReport(body: unknown, flagOf: (key: string) => StoredFlag | undefined): ReportedImpression[] | string {
  const list = (body as { impressions?: unknown } | null)?.impressions;
  if (!Array.isArray(list)) return 'expected { impressions: [{ flag, variant, reason, count }] }';
  if (list.length > MAX_REPORTED_SERIES) return `at most ${MAX_REPORTED_SERIES} series per report, got ${list.length}`;
  const out: ReportedImpression[] = [];
  for (const [n, item] of list.entries()) {
    const { flag, variant, reason, count } = (item ?? {}) as Record<string, unknown>;
    const where = `impressions[${n}]`;
    if (typeof flag !== 'string') return `${where}.flag: expected a flag key`;
    const stored = flagOf(flag);
    if (stored === undefined) return `${where}.flag: no flag ${JSON.stringify(flag)} in this environment`;
    if (typeof reason !== 'string' || !REASONS.has(reason)) return `${where}.reason: expected one of ${[...REASONS].join(', ')}`;
    // Under a rollout, the new definition's variants are served too.
    const variants = [stored.flag, stored.rollout?.flag].flatMap((f) => (f?.variants === undefined ? [] : Object.keys(f.variants)));
    const servable = typeof variant === 'string' && (variant === '' ? reason === 'ERROR' : variants.includes(variant) || variant === 'default' || /^rule-[1-9]\d{0,2}$/.test(variant));
    if (!servable) return `${where}.variant: ${JSON.stringify(variant)} is not a variant ${JSON.stringify(flag)} serves`;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1e9) return `${where}.count: expected an integer from 1 to 1000000000`;
    out.push({ flag, variant, reason, count });
  }
  return out;
}

async function bulk(options: OfrepRoutesOptions, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { caller, environment } = callerOf(request);
  const parsed = parseEvaluationRequest(request.body);
  if (!parsed.ok) return reply.status(400).send({ errorCode: parsed.errorCode, errorDetails: parsed.errorDetails } satisfies OfrepBulkEvaluationFailure);
  const evaluated = options.store.list(environment).map((stored) => ({ stored, result: evaluateStoredFlag(environment, stored.flag.key, stored, parsed.context) }));
  const body: OfrepBulkEvaluationSuccess = { flags: evaluated.map((e) => toOfrepItem(e.result, e.stored.version)), metadata: { environment } };
  const etag = etagOf(body);
  void reply.header('etag', etag);
  // The caller already holds exactly these evaluations: nothing is served, so nothing is counted.
  if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
  for (const e of evaluated) count(options.impressions, environment, caller, e.result);
  return reply.status(200).send(body);
}

function count(impressions: ImpressionRecorder | undefined, environment: string, caller: FlagCaller, result: EvaluationResult): void {
  impressions?.record({ environment, service: caller.service, flag: result.key, variant: result.ok ? result.variant : '', reason: result.reason });
}

function presentedCredential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(header);
    return match?.[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}
