import type { Db } from '../../core/index.js';
import type { Attributes, Span, SpanEvent } from '../model/index.js';
import { KIND_NAMES, STATUS_NAMES } from './span-columns.js';

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: number;
  start_ms: number;
  duration_ms: number;
  status: number;
  status_message: string | null;
  attributes: string;
  resource: string;
  events: string;
  extra: string | null;
}

/** A stored span back in the model's shape. */
export function spanFromRow(r: SpanRow): Span {
  const extra = r.extra === null ? {} : (JSON.parse(r.extra) as Pick<Span, 'links' | 'scope' | 'inProgress'>);
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    ...(r.parent_span_id !== null ? { parentSpanId: r.parent_span_id } : {}),
    name: r.name,
    kind: KIND_NAMES[r.kind] ?? 'Internal',
    startTimeMs: r.start_ms,
    endTimeMs: r.start_ms + r.duration_ms,
    durationMs: r.duration_ms,
    statusCode: STATUS_NAMES[r.status] ?? 'Unset',
    ...(r.status_message !== null ? { statusMessage: r.status_message } : {}),
    service: r.service,
    resource: JSON.parse(r.resource) as Attributes,
    attributes: JSON.parse(r.attributes) as Attributes,
    events: JSON.parse(r.events) as SpanEvent[],
    ...(extra.links !== undefined ? { links: extra.links } : {}),
    ...(extra.scope !== undefined ? { scope: extra.scope } : {}),
    ...(extra.inProgress === true ? { inProgress: true } : {}),
  };
}

/** Every stored span of a trace, by start time. */
export function readTrace(db: Db, traceId: string): Span[] {
  return db
    .prepare<[string], SpanRow>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ms, duration_ms, status, status_message,
              attributes, resource, events, extra FROM spans WHERE trace_id = ? ORDER BY start_ms, id`,
    )
    .all(traceId)
    .map(spanFromRow);
}
