import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the traffic router: its routing table, admin API and client. */
export const routerCodes = {
  SLW_ERR_ROUTER_TABLE_INVALID: { status: 400, message: 'The routing table is invalid' },
  SLW_ERR_ROUTER_WEIGHTS_INVALID: { status: 400, message: 'The target group weights are invalid' },
  SLW_ERR_ROUTER_VERSION_CONFLICT: { status: 409, message: 'The routing table version is older than the one applied' },
  SLW_ERR_ROUTER_PORT_IN_USE: { status: 409, message: 'A listener port could not be opened' },
  SLW_ERR_ROUTER_SERVICE_NOT_FOUND: { status: 404, message: 'The routing table has no such service' },
  SLW_ERR_ROUTER_SHADOW_NOT_FOUND: { status: 404, message: 'The router has no shadow comparison with this id' },
  SLW_ERR_ROUTER_STATE: { status: 500, message: 'The router state directory could not be read or written' },
  SLW_ERR_ROUTER_UNAVAILABLE: { status: 503, message: 'The traffic router could not be reached' },
} as const satisfies Record<string, ErrorCodeSpec>;
