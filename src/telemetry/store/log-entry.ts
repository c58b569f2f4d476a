import type { FieldValue } from '../logs-insights/index.js';
import type { AttrValue, Attributes, LogRecordIn } from '../model/index.js';

/** A log record as the store keeps it: in a log group and stream. */
export interface LogEntry {
  /** When it happened, ms since the Unix epoch. */
  readonly timeMs: number;
  /** The log group, e.g. `/slipway/production/gateway` or `/slipway/pipeline/shop`. */
  readonly group: string;
  /** The log stream, e.g. a task id. */
  readonly stream: string;
  /** The line. */
  readonly message: string;
  /** Severity text, e.g. `INFO`; empty when none. */
  readonly severity: string;
  /** Trace id when the record belongs to a trace. */
  readonly traceId?: string;
  /** Span id when the record belongs to a span. */
  readonly spanId?: string;
  /** Structured fields the query language sees. */
  readonly fields?: Readonly<Record<string, FieldValue>>;
}

/** The log group of a service's logs in an environment: `/slipway/<environment>/<service>`. */
export function serviceLogGroup(environment: string, service: string): string {
  return `/slipway/${environment}/${service}`;
}

/** The environment a resource names (`deployment.environment.name`, `deployment.environment`), else `default`. */
function environmentOf(resource: Attributes): string {
  const env = resource['deployment.environment.name'] ?? resource['deployment.environment'];
  return typeof env === 'string' && env !== '' ? env : 'default';
}

function fieldValue(v: AttrValue): FieldValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
}

/**
 * Where an OTLP log record is kept. Group: the resource's `slipway.log_group`, else
 * `/slipway/<deployment.environment.name or default>/<service>`. Stream: the resource's
 * `slipway.task.id`, else `service.instance.id`, else the service name. Fields: the
 * record's attributes (non-scalars as JSON text) plus `severity`, `trace_id`, `span_id`.
 */
export function logEntryOf(record: LogRecordIn): LogEntry {
  const r = record.resource;
  const group = typeof r['slipway.log_group'] === 'string' && r['slipway.log_group'] !== '' ? r['slipway.log_group'] : serviceLogGroup(environmentOf(r), record.service);
  const streamAttr = r['slipway.task.id'] ?? r['service.instance.id'];
  const stream = typeof streamAttr === 'string' && streamAttr !== '' ? streamAttr : record.service;
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(record.attributes)) fields[k] = fieldValue(v);
  if (record.severityText !== '') fields.severity = record.severityText;
  if (record.traceId !== undefined) fields.trace_id = record.traceId;
  if (record.spanId !== undefined) fields.span_id = record.spanId;
  return {
    timeMs: record.timeMs,
    group,
    stream,
    message: record.body,
    severity: record.severityText,
    ...(record.traceId !== undefined ? { traceId: record.traceId } : {}),
    ...(record.spanId !== undefined ? { spanId: record.spanId } : {}),
    fields,
  };
}
