import type { ErrorCodeSpec } from '../spec.js';

/**
 * Codes of telemetry queries: the Logs Insights language (parse, plan, execute),
 * metric queries and metric math, trace lookups, and the telemetry store's state.
 */
export const telemetryCodes = {
  SLW_ERR_LOGS_QUERY_SYNTAX: { status: 400, message: 'The logs query has a syntax error' },
  SLW_ERR_LOGS_QUERY_INVALID: { status: 400, message: 'The logs query is invalid' },
  SLW_ERR_LOGS_QUERY_TIME_RANGE: { status: 400, message: 'The logs query time range is invalid' },
  // 422, not 400: the query is well formed, but it cannot be answered within its budget.
  SLW_ERR_LOGS_QUERY_BUDGET: { status: 422, message: 'The logs query ran out of its time or record budget' },
  SLW_ERR_METRICS_QUERY_INVALID: { status: 400, message: 'The metric query is invalid' },
  SLW_ERR_METRICS_MATH_SYNTAX: { status: 400, message: 'The metric math expression has a syntax error' },
  SLW_ERR_METRICS_MATH_INVALID: { status: 400, message: 'The metric math expression is invalid' },
  SLW_ERR_TRACE_NOT_FOUND: { status: 404, message: 'No trace with this id' },
  SLW_ERR_TELEMETRY_NOT_STARTED: { status: 503, message: 'Telemetry is not started' },
} as const satisfies Record<string, ErrorCodeSpec>;
