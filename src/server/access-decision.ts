import type { RouteAuth } from '../core/index.js';
import type { ErrorCode } from '../shared/index.js';

/** Header the dashboard sends with every state-changing request. */
export const CSRF_HEADER = 'x-slipway-csrf';

/** What a request presented of one kind of credential. */
export type CredentialState = 'valid' | 'invalid' | 'absent';

/** Everything the access decision looks at, already read from the request. */
export interface AccessRequest {
  /** The `auth` the matched route declares; undefined when it declares none. */
  readonly auth: RouteAuth | undefined;
  /** False when no route matched (the answer will be a 404). */
  readonly matched: boolean;
  readonly method: string;
  /** The `Authorization: Bearer` token. */
  readonly bearer: CredentialState;
  /** The dashboard's session cookie. */
  readonly session: CredentialState;
  /** Whether the {@link CSRF_HEADER} header is present. */
  readonly csrfHeader: boolean;
  /** The `Origin` header, if any. */
  readonly origin: string | undefined;
  /** This server's origin as the request addressed it, e.g. `http://127.0.0.1:4400`. */
  readonly ownOrigin: string;
  /** The `Sec-Fetch-Site` header, if any. */
  readonly fetchSite: string | undefined;
}

/** The verdict: allowed (and by what), or refused with a catalog code and a message. */
export type AccessDecision =
  | { readonly allow: true; readonly by: 'nothing' | 'token' | 'session' | 'signature' }
  | { readonly allow: false; readonly code: ErrorCode; readonly message: string };

const SAFE_METHODS = new Set(['GET', 'HEAD']);
// `same-site` is refused too: every other port of this machine (the app's own services) is the same site.
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

const UNAUTHORIZED: AccessDecision = { allow: false, code: 'SLW_ERR_API_UNAUTHORIZED', message: 'Unauthorized' };

/**
 * The authentication a request needs: what its route declares; `token` (the
 * strictest) when the route declares nothing; `session` when no route
 * matched, so an anonymous caller learns nothing about which routes exist
 * (401) while the dashboard still sees its 404s.
 */
export function effectiveAuth(auth: RouteAuth | undefined, matched: boolean): RouteAuth {
  if (!matched) return 'session';
  return auth ?? 'token';
}

/**
 * Decides whether a request may reach its route. Pure: the caller verifies
 * the token and the cookie and reads the headers; this only weighs them.
 * A refusal to an anonymous caller says nothing more than `Unauthorized`.
 */
export function decideAccess(r: AccessRequest): AccessDecision {
  const auth = effectiveAuth(r.auth, r.matched);
  if (auth === 'open') return { allow: true, by: 'nothing' };
  if (auth === 'webhook') return { allow: true, by: 'signature' };
  // A wrong token is a failed login, whatever cookie comes with it.
  if (r.bearer === 'invalid') return UNAUTHORIZED;
  if (r.bearer === 'valid') return { allow: true, by: 'token' };
  if (r.session !== 'valid') return UNAUTHORIZED;
  if (auth === 'token') return { allow: false, code: 'SLW_ERR_API_TOKEN_REQUIRED', message: 'this route needs the API token (Authorization: Bearer); a dashboard session is not enough' };
  if (SAFE_METHODS.has(r.method.toUpperCase())) return { allow: true, by: 'session' };
  return crossSiteRefusal(r) ?? { allow: true, by: 'session' };
}

/** Why a cookie-authenticated, state-changing request is refused, or undefined when it may go on. */
function crossSiteRefusal(r: AccessRequest): AccessDecision | undefined {
  if (r.fetchSite !== undefined && !ALLOWED_FETCH_SITES.has(r.fetchSite.toLowerCase())) {
    return { allow: false, code: 'SLW_ERR_API_CROSS_SITE', message: `headers.sec-fetch-site: a dashboard session changes state only from its own pages, got "${r.fetchSite}"` };
  }
  if (r.origin !== undefined && r.origin.toLowerCase() !== r.ownOrigin.toLowerCase()) {
    return { allow: false, code: 'SLW_ERR_API_CROSS_SITE', message: `headers.origin: a dashboard session changes state only from ${r.ownOrigin}, got "${r.origin}"` };
  }
  if (!r.csrfHeader) {
    return { allow: false, code: 'SLW_ERR_API_FORBIDDEN', message: `state-changing requests from the dashboard need the ${CSRF_HEADER} header` };
  }
  return undefined;
}
