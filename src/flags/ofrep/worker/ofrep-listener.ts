import type { IncomingMessage, ServerResponse } from 'node:http';
import { SlipwayError, errorBody, errorSpec, jsonLimitError } from '../../../shared/index.js';
import { answerBulk, answerFlag, answerImpressions, answerSnapshot, authenticateOfrep, parseErrorReply, type OfrepAnswerOptions, type OfrepReply, type OfrepWho } from '../answer.js';
import type { FlagCredentialCheck } from '../credentials.js';

/** Options of {@link ofrepRequestListener}. */
export interface OfrepListenerOptions extends OfrepAnswerOptions {
  /** Checks the read-only flag credential each request presents (`Authorization: Bearer` or `X-API-Key`). */
  readonly authenticate: FlagCredentialCheck;
  /** The largest request body accepted, bytes (a larger one is `SLW_ERR_API_BODY_TOO_LARGE`, 413). @default 1048576, as the API server's */
  readonly bodyLimitBytes?: number;
  /** Runs before each request is answered (the worker applies any snapshot posted meanwhile). @default nothing */
  readonly beforeRequest?: () => void;
  /** Told of a request that failed unexpectedly (answered 500 `SLW_ERR_API_INTERNAL`). @default ignore */
  readonly onError?: (err: unknown) => void;
}

type Route = { readonly kind: 'flag'; readonly key: string } | { readonly kind: 'bulk' | 'snapshot' | 'impressions' };

const FLAG_PREFIX = '/ofrep/v1/evaluate/flags/';

/** The route a request names, undefined for none; throws URIError for a key that is not valid percent-encoding. */
function routeOf(method: string | undefined, pathname: string): Route | undefined {
  if (method === 'POST' && pathname === '/ofrep/v1/evaluate/flags') return { kind: 'bulk' };
  if (method === 'POST' && pathname.startsWith(FLAG_PREFIX)) {
    const key = pathname.slice(FLAG_PREFIX.length);
    return key === '' || key.includes('/') ? undefined : { kind: 'flag', key: decodeURIComponent(key) };
  }
  if (method === 'GET' && pathname === '/flags/v1/snapshot') return { kind: 'snapshot' };
  if (method === 'POST' && pathname === '/flags/v1/impressions') return { kind: 'impressions' };
  return undefined;
}

/** A request body: none, JSON text, or what the API server would refuse it with. */
type Body = { readonly kind: 'none' } | { readonly kind: 'json'; readonly text: string } | { readonly kind: 'refused'; readonly reply: OfrepReply };

const isJson = (contentType: string | undefined): boolean => contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);

/** Reads a body as the API server does: JSON only (415 otherwise), at most `limit` bytes (413). */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const contentType = req.headers['content-type'];
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve({ kind: 'refused', reply: tooLarge() });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > limit) return resolve({ kind: 'refused', reply: tooLarge() });
      if (size === 0 && !isJson(contentType)) return resolve({ kind: 'none' });
      if (!isJson(contentType)) return resolve({ kind: 'refused', reply: { status: 415, body: errorBody('SLW_ERR_API_UNSUPPORTED_MEDIA', `content type "${contentType ?? ''}" is not supported; send application/json`) } });
      resolve({ kind: 'json', text: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

const tooLarge = (): OfrepReply => ({ status: 413, body: errorBody('SLW_ERR_API_BODY_TOO_LARGE', errorSpec('SLW_ERR_API_BODY_TOO_LARGE').message) });

/** A body as JSON within the API server's limits, or the reply that refuses it (OFREP's `PARSE_ERROR`, or the server's limit errors). */
function parsedBody(body: Body, key: string | undefined): { readonly value: unknown } | { readonly reply: OfrepReply } {
  if (body.kind === 'refused') return { reply: body.reply };
  if (body.kind === 'none') return { value: undefined };
  if (body.text.trim() === '') return { reply: parseErrorReply(key, true) };
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch {
    return { reply: parseErrorReply(key, false) };
  }
  const limit = jsonLimitError(value);
  return limit === undefined ? { value } : { reply: { status: limit.status, body: errorBody(limit.code, limit.message, limit.issues) } };
}

function write(res: ServerResponse, reply: OfrepReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers).end(text);
}

/**
 * A `node:http` request listener serving the OFREP routes (`POST /ofrep/v1/evaluate/flags/{key}`,
 * `POST /ofrep/v1/evaluate/flags`) and slipway's snapshot and impressions routes with the same
 * answers as the API server's (`answer.ts`): the credential is checked before the body is read,
 * bodies are JSON within the server's limits, refusals have the server's error shape, and any other
 * path is 404 `SLW_ERR_API_NOT_FOUND`. It is what the OFREP worker listens with, off the control
 * plane's event loop.
 */
export function ofrepRequestListener(o: OfrepListenerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = o.bodyLimitBytes ?? 1024 * 1024;
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<OfrepReply> => {
    const url = new URL(req.url ?? '/', 'http://ofrep');
    let route: Route | undefined;
    try {
      route = routeOf(req.method, url.pathname);
    } catch {
      const message = `request target ${JSON.stringify((req.url ?? '').slice(0, 200))}: not a valid percent-encoding`;
      return { status: 400, body: errorBody('SLW_ERR_API_REQUEST_TARGET', message, [{ path: 'request-target', message }]) };
    }
    if (route === undefined) return { status: 404, body: errorBody('SLW_ERR_API_NOT_FOUND', `no route ${req.method ?? ''} ${url.pathname}`) };
    const who = authenticateOfrep(req.headers, o.authenticate, (caller) => caller.environment);
    if ('error' in who) return { status: who.error.status, headers: who.headers, body: errorBody(who.error.code, who.error.message) };
    o.beforeRequest?.();
    if (route.kind === 'snapshot') {
      req.resume();
      const gone = { gone: () => res.destroyed, onGone: (l: () => void) => (res.once('close', l), () => void res.off('close', l)) };
      return answerSnapshot(o, who, url.searchParams.get('waitMs') ?? undefined, req.headers['if-none-match'], gone);
    }
    const body = parsedBody(await readBody(req, limit), route.kind === 'flag' ? route.key : undefined);
    if ('reply' in body) return body.reply;
    // Flags may have changed while the body arrived.
    o.beforeRequest?.();
    return answerWith(o, who, route, body.value, req.headers['if-none-match']);
  };
  return (req, res) => {
    answer(req, res).then(
      (reply) => write(res, reply),
      (err: unknown) => {
        if (err instanceof SlipwayError) return write(res, { status: err.status, body: errorBody(err.code, err.message, err.issues) });
        o.onError?.(err);
        write(res, { status: 500, body: errorBody('SLW_ERR_API_INTERNAL', errorSpec('SLW_ERR_API_INTERNAL').message) });
      },
    );
  };
}

function answerWith(o: OfrepAnswerOptions, who: OfrepWho, route: Route, body: unknown, ifNoneMatch: string | string[] | undefined): OfrepReply {
  if (route.kind === 'flag') return answerFlag(o, who, route.key, body);
  if (route.kind === 'bulk') return answerBulk(o, who, body, ifNoneMatch);
  return answerImpressions(o, who, body);
}
