import type { ErrorCodeSpec } from '../spec.js';

/** Codes of A/B experiments and their API. */
export const experimentCodes = {
  SLW_ERR_EXPERIMENT_NOT_FOUND: { status: 404, message: 'No such experiment in the environment' },
  SLW_ERR_EXPERIMENT_NOT_RUNNING: { status: 409, message: 'The experiment is not running' },
} as const satisfies Record<string, ErrorCodeSpec>;
