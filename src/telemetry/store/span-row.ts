import type { Span } from '../model/index.js';
import { KIND_CODES, STATUS_CODES, dbColumnsOf, hasException, httpStatusOf, isEntryKind, peerOf } from './span-columns.js';

/** `spans.map_role` of an entry span (server, consumer, or a root). */
export const MAP_ENTRY = 1;
/** `spans.map_role` of an outgoing call with a known peer. */
export const MAP_CALL = 2;

/**
 * A span as the `spans` table stores it, in column order, minus what only a batch can know
 * (`parent_service`, `remote_child`): trace id, span id, parent span id, service, name,
 * kind code, start ms, duration ms, status code, status message, HTTP status, db system,
 * db name, db statement, peer, map role, has exception (0/1), attributes, resource and
 * events as JSON, extra JSON. Plain strings and numbers only, so that a decode worker can
 * hand rows to the writer for the price of copying them.
 */
export type SpanRow = readonly [
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  service: string,
  name: string,
  kind: number,
  startMs: number,
  durationMs: number,
  status: number,
  statusMessage: string | null,
  httpStatus: number | null,
  dbSystem: string | null,
  dbName: string | null,
  dbStatement: string | null,
  peer: string | null,
  mapRole: number | null,
  hasException: 0 | 1,
  attributes: string,
  resource: string,
  events: string,
  extra: string | null,
];

/** Indexes into a {@link SpanRow}, for the writer's link resolution. */
export const SPAN_ROW = { traceId: 0, spanId: 1, parentSpanId: 2, service: 3, kind: 5 } as const;

/**
 * Spans to rows. Spans of one resource share its object, so its JSON is written once per
 * run of spans, not once per span.
 */
export function spanRowsOf(spans: readonly Span[]): SpanRow[] {
  let lastResource: object | undefined;
  let lastResourceJson = '';
  return spans.map((s) => {
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      lastResourceJson = JSON.stringify(s.resource);
    }
    const db = dbColumnsOf(s.attributes);
    const peer = peerOf(s.kind, s.attributes) ?? null;
    const mapRole = isEntryKind(s.kind) || s.parentSpanId === undefined ? MAP_ENTRY : peer !== null ? MAP_CALL : null;
    const extra =
      s.links !== undefined || s.scope !== undefined || s.inProgress === true
        ? JSON.stringify({ links: s.links, scope: s.scope, inProgress: s.inProgress })
        : null;
    return [
      s.traceId, s.spanId, s.parentSpanId ?? null, s.service, s.name, KIND_CODES[s.kind], s.startTimeMs, s.durationMs,
      STATUS_CODES[s.statusCode], s.statusMessage ?? null, httpStatusOf(s.attributes) ?? null, db.system ?? null,
      db.name ?? null, db.statement ?? null, peer, mapRole, hasException(s) ? 1 : 0,
      JSON.stringify(s.attributes), lastResourceJson, JSON.stringify(s.events), extra,
    ];
  });
}
