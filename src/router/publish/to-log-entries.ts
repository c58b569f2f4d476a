import type { LogEntry } from '../../telemetry/index.js';
import type { AccessLogEntry } from '../metrics/access-log.js';

/** The log group of an environment's router access log: `/slipway/<environment>/router`. */
export function routerLogGroup(environment: string): string {
  return `/slipway/${environment}/router`;
}

/**
 * Access log entries as log records: one JSON line each in `/slipway/<environment>/router`, stream
 * the service (`-` when no rule matched), with the trace id as the record's, so `filter @traceId`
 * finds a request's router line beside its service's lines. Fields: `request_id`, `trace_id`,
 * `method`, `url`, `status`, `router_made`, `duration_ms`, `service`, `target_group`, `target`.
 */
export function accessLogEntries(entries: readonly AccessLogEntry[]): LogEntry[] {
  return entries.map((e) => {
    const line = {
      type: 'http',
      request_id: e.requestId,
      trace_id: e.traceId || undefined,
      method: e.method,
      url: e.url,
      status: e.status,
      router_made: e.routerMade,
      duration_ms: Math.round(e.durationMs * 1000) / 1000,
      service: e.service,
      target_group: e.targetGroup,
      target: e.target,
    };
    return {
      timeMs: e.timeMs,
      group: routerLogGroup(e.environment),
      stream: e.service || '-',
      message: JSON.stringify(line),
      severity: e.status >= 500 ? 'ERROR' : e.status >= 400 ? 'WARN' : 'INFO',
      ...(e.traceId ? { traceId: e.traceId } : {}),
      fields: { request_id: e.requestId, status: e.status, router_made: e.routerMade, duration_ms: line.duration_ms, environment: e.environment, service: e.service, target_group: e.targetGroup },
    };
  });
}
