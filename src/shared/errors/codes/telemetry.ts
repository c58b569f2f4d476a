import type { ErrorCodeSpec } from '../spec.js';

/** Codes of telemetry queries: the Logs Insights language (parse, plan, execute). */
export const telemetryCodes = {
  SLW_ERR_LOGS_QUERY_SYNTAX: { status: 400, message: 'The logs query has a syntax error' },
  SLW_ERR_LOGS_QUERY_INVALID: { status: 400, message: 'The logs query is invalid' },
  SLW_ERR_LOGS_QUERY_TIME_RANGE: { status: 400, message: 'The logs query time range is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
