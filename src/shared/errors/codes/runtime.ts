import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the supervisor: task sets, tasks, autoscaling. */
export const runtimeCodes = {
  SLW_ERR_RUNTIME_SPEC_INVALID: { status: 400, message: 'The task set specification is invalid' },
  SLW_ERR_RUNTIME_TASK_NOT_FOUND: { status: 404, message: 'No such task' },
  SLW_ERR_RUNTIME_TASK_SET_NOT_FOUND: { status: 404, message: 'No such task set' },
  SLW_ERR_RUNTIME_CLOSED: { status: 503, message: 'The supervisor is shut down' },
  SLW_ERR_RUNTIME_START_FAILED: { status: 500, message: 'A task could not be started' },
} as const satisfies Record<string, ErrorCodeSpec>;
