import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the foundation: config, API, auth, store, CLI. */
export const coreCodes = {
  SLW_ERR_CONFIG_INVALID: { status: 400, message: 'The app definition is invalid' },
  SLW_ERR_CONFIG_NOT_FOUND: { status: 404, message: 'No app definition was found' },
  SLW_ERR_CONFIG_LOAD: { status: 400, message: 'The app definition could not be loaded' },
  SLW_ERR_API_VALIDATION: { status: 400, message: 'The request is invalid' },
  SLW_ERR_API_NOT_FOUND: { status: 404, message: 'No such route' },
  SLW_ERR_API_UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  SLW_ERR_API_FORBIDDEN: { status: 403, message: 'Not allowed' },
  SLW_ERR_API_INTERNAL: { status: 500, message: 'Internal error' },
  SLW_ERR_API_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  SLW_ERR_API_TOO_DEEP: { status: 400, message: 'The request body is nested too deeply' },
  SLW_ERR_API_UNSUPPORTED_MEDIA: { status: 415, message: 'The content type is not supported' },
  SLW_ERR_EVENT_INVALID: { status: 400, message: 'The event is invalid' },
  SLW_ERR_EVENT_PAYLOAD_INVALID: { status: 500, message: "An event's payload does not match its schema in the event catalog" },
  SLW_ERR_EVENT_NOT_FOUND: { status: 404, message: 'No such event' },
  SLW_ERR_STORE_MIGRATION: { status: 500, message: 'The database could not be migrated' },
  SLW_ERR_STORE_LOCKED: { status: 409, message: 'The data directory is in use by another slipway' },
  SLW_ERR_SECRET_FILE_UNSAFE: { status: 403, message: 'A token or key file is readable by others, a link, not a regular file, empty, or owned by another user' },
  SLW_ERR_DATA_DIR_UNSAFE: { status: 403, message: 'The data directory is not safe to use: a link, not a directory, or owned by another user' },
  SLW_ERR_CLI_NO_SERVER: { status: 503, message: 'No slipway server could be reached' },
  SLW_ERR_CLI_USAGE: { status: 400, message: 'The command line is invalid' },
  SLW_ERR_EXEC_FAILED: { status: 500, message: 'A process could not be started' },
} as const satisfies Record<string, ErrorCodeSpec>;
