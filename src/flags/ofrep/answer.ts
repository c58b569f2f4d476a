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

// The request handling of OFREP and slipway's snapshot and impressions routes, apart from any HTTP
// server: the API server's routes (Fastify) and the OFREP worker's own listener (node:http) both
// answer with these functions, so both give the same bodies, ETags and error codes.

/** What the OFREP routes read of the flag store. */
export interface FlagSource {
  /** The flags of an environment. */
  list(environment: string): readonly StoredFlag[];
  /** One flag of an environment, if it has it. */
  tryGet(environment: string, key: string): StoredFlag | undefined;
  /** Calls `listener` after each change of any flag; returns the function that stops it (the snapshot's long poll waits on it). */
  onChange(listener: () => void): () => void;
}

/** What answering needs: the flags and where evaluations are counted. */
export interface OfrepAnswerOptions {
  readonly store: FlagSource;
  /** Where each evaluation of a stored flag is counted. @default none */
  readonly impressions?: ImpressionRecorder | undefined;
}

/** Who asks: the caller a credential names and the environment whose flags it reads. */
export interface OfrepWho {
  readonly caller: FlagCaller;
  readonly environment: string;
}

/** An answer, for whichever server sends it: status, headers, and a JSON body (none for 204/304). */
export interface OfrepReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A refused credential: the error the server's error shape carries, and the headers to send with it. */
export interface OfrepRefusal {
  readonly error: NotAllowedError;
  readonly headers: Readonly<Record<string, string>>;
}

/** `GET /flags/v1/snapshot`: an environment's flags as stored, for in-process evaluation. */
export interface FlagSnapshot {
  readonly environment: string;
  readonly flags: readonly StoredFlag[];
}

/** The longest long poll of the snapshot route, ms. */
export const MAX_WAIT_MS = 30_000;
/** Most series one impressions report may carry. */
const MAX_REPORTED_SERIES = 1000;

/** The credential a request presents: `Authorization: Bearer <token>`, else OFREP's `X-API-Key`. */
export function presentedCredential(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const header = headers.authorization;
  if (typeof header === 'string') return /^Bearer +(\S+) *$/i.exec(header)?.[1];
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/**
 * Checks a request's flag credential before its body is read: who asks, or the refusal (401 with
 * `WWW-Authenticate: Bearer` for a missing or wrong credential, 403 for one bound to no environment).
 */
export function authenticateOfrep(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  authenticate: FlagCredentialCheck,
  environmentOf: (caller: FlagCaller) => string | undefined,
): OfrepWho | OfrepRefusal {
  const credential = presentedCredential(headers);
  const caller = credential === undefined ? undefined : authenticate(credential);
  if (caller === undefined) return { error: new NotAllowedError('SLW_ERR_API_UNAUTHORIZED', 'Unauthorized'), headers: { 'www-authenticate': 'Bearer' } };
  const environment = environmentOf(caller);
  if (environment === undefined) return { error: new NotAllowedError('SLW_ERR_API_FORBIDDEN', `the flag credential of ${caller.service} is not bound to an environment`), headers: {} };
  return { caller, environment };
}

/** OFREP's `PARSE_ERROR` for a body that is not JSON (`key` on the single-flag route, none on the bulk one). */
export function parseErrorReply(key: string | undefined, empty: boolean): OfrepReply {
  const errorDetails = `body: ${empty ? 'empty, expected a JSON object with a context' : 'not valid JSON'}`;
  const body: OfrepEvaluationFailure | OfrepBulkEvaluationFailure = key === undefined ? { errorCode: 'PARSE_ERROR', errorDetails } : { key, errorCode: 'PARSE_ERROR', errorDetails };
  return { status: 400, body };
}

/** `POST /ofrep/v1/evaluate/flags/{key}` with a parsed body. */
export function answerFlag(o: OfrepAnswerOptions, who: OfrepWho, key: string, body: unknown): OfrepReply {
  const parsed = parseEvaluationRequest(body);
  if (!parsed.ok) return { status: 400, body: { key, errorCode: parsed.errorCode, errorDetails: parsed.errorDetails } satisfies OfrepEvaluationFailure };
  const stored = o.store.tryGet(who.environment, key);
  const result = evaluateStoredFlag(who.environment, key, stored, parsed.context);
  if (stored !== undefined) count(o.impressions, who, result);
  return toOfrepAnswer(result, stored?.version);
}

/** `POST /ofrep/v1/evaluate/flags` with a parsed body: every flag, with an ETag, or 304 when `If-None-Match` names it. */
export function answerBulk(o: OfrepAnswerOptions, who: OfrepWho, body: unknown, ifNoneMatch: string | string[] | undefined): OfrepReply {
  const parsed = parseEvaluationRequest(body);
  if (!parsed.ok) return { status: 400, body: { errorCode: parsed.errorCode, errorDetails: parsed.errorDetails } satisfies OfrepBulkEvaluationFailure };
  const evaluated = o.store.list(who.environment).map((stored) => ({ stored, result: evaluateStoredFlag(who.environment, stored.flag.key, stored, parsed.context) }));
  const answer: OfrepBulkEvaluationSuccess = { flags: evaluated.map((e) => toOfrepItem(e.result, e.stored.version)), metadata: { environment: who.environment } };
  const etag = etagOf(answer);
  // The caller already holds exactly these evaluations: nothing is served, so nothing is counted.
  if (ifNoneMatchMatches(ifNoneMatch, etag)) return { status: 304, headers: { etag } };
  for (const e of evaluated) count(o.impressions, who, e.result);
  return { status: 200, headers: { etag }, body: answer };
}

/** How a long poll learns that its caller went away. */
export interface CallerGone {
  /** Whether the caller has gone already. */
  gone(): boolean;
  /** Calls `listener` when the caller goes; returns the function that stops it. */
  onGone(listener: () => void): () => void;
}

/**
 * `GET /flags/v1/snapshot?waitMs=`: the environment's flags with an ETag; with `If-None-Match` naming
 * the current one, held until the snapshot changes (or `waitMs` ends), then 200 or 304.
 * @throws {InputError} `SLW_ERR_API_VALIDATION` when `waitMs` is not an integer from 0 to 30 000
 */
export async function answerSnapshot(o: OfrepAnswerOptions, who: OfrepWho, rawWaitMs: unknown, ifNoneMatch: string | string[] | undefined, caller: CallerGone): Promise<OfrepReply> {
  const waitMs = rawWaitMs === undefined ? 0 : Number(rawWaitMs);
  if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) {
    throw new InputError('SLW_ERR_API_VALIDATION', `query.waitMs: expected an integer from 0 to ${MAX_WAIT_MS}, got ${JSON.stringify(rawWaitMs)}`, { issues: [{ path: 'query.waitMs', message: `expected an integer from 0 to ${MAX_WAIT_MS}` }] });
  }
  const read = (): { body: FlagSnapshot; etag: string } => {
    const body: FlagSnapshot = { environment: who.environment, flags: o.store.list(who.environment) };
    return { body, etag: etagOf(body) };
  };
  let current = read();
  const deadline = Date.now() + waitMs;
  // A long poll: the caller has this snapshot, so answer when it changes (or at the deadline). The
  // store says when any flag changed; a change of another environment reads the same tag again.
  while (ifNoneMatchMatches(ifNoneMatch, current.etag) && Date.now() < deadline && !caller.gone()) {
    await nextChange(o.store, deadline - Date.now(), caller);
    current = read();
  }
  const headers = { etag: current.etag, 'cache-control': 'no-cache' };
  if (ifNoneMatchMatches(ifNoneMatch, current.etag)) return { status: 304, headers };
  return { status: 200, headers, body: current.body };
}

/** Resolves at the store's next change, after `ms`, or when the caller goes away, whichever is first. */
function nextChange(store: FlagSource, ms: number, caller: CallerGone): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop();
      stopGone();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = store.onChange(done);
    const stopGone = caller.onGone(done);
  });
}

/**
 * `POST /flags/v1/impressions` with a parsed body: counts what an in-process provider evaluated, under the caller.
 * @throws {InputError} `SLW_ERR_API_VALIDATION` naming what is wrong with the report
 */
export function answerImpressions(o: OfrepAnswerOptions, who: OfrepWho, body: unknown): OfrepReply {
  const parsed = parseImpressionReport(body, (key) => o.store.tryGet(who.environment, key));
  if (typeof parsed === 'string') throw new InputError('SLW_ERR_API_VALIDATION', parsed, { issues: [{ path: 'body', message: parsed }] });
  for (const i of parsed) o.impressions?.record({ environment: who.environment, service: who.caller.service, flag: i.flag, variant: i.variant, reason: i.reason }, i.count);
  return { status: 204 };
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

function count(impressions: ImpressionRecorder | undefined, who: OfrepWho, result: EvaluationResult): void {
  impressions?.record({ environment: who.environment, service: who.caller.service, flag: result.key, variant: result.ok ? result.variant : '', reason: result.reason });
}
