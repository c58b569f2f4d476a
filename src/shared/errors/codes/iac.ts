import type { ErrorCodeSpec } from '../spec.js';

/** Codes of infrastructure as code: plans, applies, drift. */
export const iacCodes = {
  SLW_ERR_IAC_PLAN_NOT_FOUND: { status: 404, message: 'No such plan' },
  SLW_ERR_IAC_PLAN_STALE: { status: 409, message: 'The live state changed since the plan was made; plan again' },
  SLW_ERR_IAC_PLAN_DESTRUCTIVE: { status: 409, message: 'The plan destroys what needs explicit confirmation (--allow-destroy)' },
  SLW_ERR_IAC_PLAN_APPLIED: { status: 409, message: 'The plan was applied already' },
  SLW_ERR_IAC_APPLY_FAILED: { status: 500, message: 'A change of the plan could not be applied' },
  SLW_ERR_IAC_APPLY_IN_PROGRESS: { status: 409, message: 'Another apply of this environment is in progress' },
  SLW_ERR_IAC_SOURCE: { status: 400, message: 'The app model to plan could not be read' },
  SLW_ERR_IAC_OVERRIDE_INVALID: { status: 400, message: 'The override is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
