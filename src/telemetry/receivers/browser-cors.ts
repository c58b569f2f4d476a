import { INGEST_KEY_HEADER } from '../ingest-auth/index.js';

/** How long a browser may cache a preflight answer, in seconds (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Request headers a page's OTLP exporter sends that need a preflight: the body type, gzip, the key. */
const ALLOWED_HEADERS = ['content-type', 'content-encoding', INGEST_KEY_HEADER].join(', ');

/**
 * The CORS verdict on one request to the receiver:
 * - `NoOrigin`: no `Origin` header (an SDK in a process, curl): CORS does not apply.
 * - `Allowed`: from a page whose origin is in the allow-list; `headers` go on the answer.
 * - `Refused`: from a page of any other origin.
 */
export type CorsVerdict =
  | { readonly kind: 'NoOrigin' }
  | { readonly kind: 'Allowed'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'Refused'; readonly origin: string };

/**
 * Decides CORS for a request with the `Origin` header `origin` against the allow-list `allowed`
 * (origins as the app model resolves them: `scheme://host:port`, no trailing slash). The origin is
 * compared as sent, byte for byte, as browsers do: `http://LOCALHOST:8080` is not
 * `http://localhost:8080`, and `null` (a sandboxed or file page) is never allowed.
 * `Access-Control-Allow-Origin` names the one origin (never `*`), with `Vary: Origin`, so a cache
 * between the page and the receiver cannot hand one origin's answer to another.
 */
export function decideCors(origin: string | undefined, allowed: readonly string[]): CorsVerdict {
  if (origin === undefined) return { kind: 'NoOrigin' };
  if (!allowed.includes(origin)) return { kind: 'Refused', origin };
  return { kind: 'Allowed', headers: { 'access-control-allow-origin': origin, vary: 'Origin' } };
}

/** The headers of the answer to an allowed preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflightHeaders(verdict: Extract<CorsVerdict, { kind: 'Allowed' }>): Record<string, string> {
  return {
    ...verdict.headers,
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
