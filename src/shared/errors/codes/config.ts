import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the app model beyond the SLW_ERR_CONFIG_* codes of the foundation. */
export const configCodes = {
  SLW_ERR_CONFIG_DURATION: { status: 400, message: 'The duration is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
