import type { ErrorCodeSpec } from '../spec.js';

/** Codes of feature flags and their API. */
export const flagCodes = {
  SLW_ERR_FLAG_NOT_FOUND: { status: 404, message: 'No such flag in the environment' },
  SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND: { status: 404, message: 'No such environment in the app model' },
  SLW_ERR_FLAG_INVALID: { status: 400, message: 'The flag definition is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
