import type { ErrorCodeSpec } from '../spec.js';

/** Codes of `slipway init` (adopting slipway in an existing repository). */
export const initCodes = {
  SLW_ERR_INIT_NOTHING_FOUND: { status: 400, message: 'Nothing in the directory can be run as a service' },
  SLW_ERR_INIT_FILE_EXISTS: { status: 409, message: 'A file init would write exists (use --force to overwrite)' },
  SLW_ERR_INIT_MANIFEST_INVALID: { status: 400, message: 'A manifest init reads (package.json, Procfile, compose file) is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
