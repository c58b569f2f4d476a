import type { ErrorCodeSpec } from '../spec.js';

/** Codes of incidents and postmortems. */
export const incidentCodes = {
  SLW_ERR_INCIDENT_NOT_FOUND: { status: 404, message: 'No such incident' },
  SLW_ERR_INCIDENT_INVALID_STATE: { status: 409, message: 'The incident is not in a state that allows this action' },
  SLW_ERR_INCIDENT_ACTION_ITEM_NOT_FOUND: { status: 404, message: 'No such action item on this incident' },
  SLW_ERR_INCIDENT_MITIGATOR_UNAVAILABLE: { status: 503, message: 'No deployment engine is connected to carry out the mitigation' },
} as const satisfies Record<string, ErrorCodeSpec>;
