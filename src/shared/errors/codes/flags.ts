import type { ErrorCodeSpec } from '../spec.js';

/** Codes of feature flags and their API. */
export const flagCodes = {
  SLW_ERR_FLAG_NOT_FOUND: { status: 404, message: 'No such flag in the environment' },
  SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND: { status: 404, message: 'No such environment in the app model' },
  SLW_ERR_FLAG_INVALID: { status: 400, message: 'The flag definition is invalid' },
  SLW_ERR_FLAG_ROLLOUT_INVALID: { status: 400, message: 'The flag rollout is invalid (its strategy, steps or definition)' },
  SLW_ERR_FLAG_ROLLOUT_NOT_FOUND: { status: 404, message: 'No such flag rollout' },
  SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS: { status: 409, message: 'The flag already has a rollout under way' },
  SLW_ERR_FLAG_ROLLOUT_STATE: { status: 409, message: 'The flag rollout is not in a state that allows this' },
  SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE: { status: 503, message: 'The OFREP endpoint (its worker thread) could not be started' },
} as const satisfies Record<string, ErrorCodeSpec>;
