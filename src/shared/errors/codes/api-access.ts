import type { ErrorCodeSpec } from '../spec.js';

/** Codes of access to the API server: the request target, the Host header, cross-site requests, credentials. */
export const apiAccessCodes = {
  SLW_ERR_API_REQUEST_TARGET: { status: 400, message: 'The request target must be a path that starts with "/"' },
  SLW_ERR_API_HOST_NOT_ALLOWED: { status: 421, message: 'The Host header does not name this server' },
  SLW_ERR_API_CROSS_SITE: { status: 403, message: 'A dashboard session cannot change state from another site' },
  SLW_ERR_API_TOKEN_REQUIRED: { status: 403, message: 'This route needs the API token; a dashboard session is not enough' },
} as const satisfies Record<string, ErrorCodeSpec>;
