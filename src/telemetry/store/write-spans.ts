import type { Db } from '../../core/index.js';
import type { Span } from '../model/index.js';
import { KIND_CODES, STATUS_CODES, dbColumnsOf, hasException, httpStatusOf, isEntryKind, isExitKind, peerOf } from './span-columns.js';

/** Writes spans; call inside a transaction. */
export type SpanWriter = (spans: readonly Span[]) => void;

/** `spans.map_role` of an entry span (server, consumer, or a root). */
export const MAP_ENTRY = 1;
/** `spans.map_role` of an outgoing call with a known peer. */
export const MAP_CALL = 2;

const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;

/**
 * Prepares the statements that store spans and resolve cross-service links. A
 * server/consumer span learns its caller's service (`parent_service`); a
 * client/producer span learns that a server span answered it (`remote_child`),
 * whichever of the two arrives first. Links inside one batch resolve in memory.
 */
export function createSpanWriter(db: Db): SpanWriter {
  const insert = db.prepare(`INSERT INTO spans (trace_id, span_id, parent_span_id, service, name, kind, start_ms, duration_ms, status,
      status_message, http_status, db_system, db_name, db_statement, peer, parent_service, remote_child, map_role, has_exception,
      attributes, resource, events, extra)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const findParent = db.prepare<[string, string], { id: number; service: string; kind: number }>(
    'SELECT id, service, kind FROM spans WHERE trace_id = ? AND span_id = ? LIMIT 1',
  );
  const findEntryChildren = db.prepare<[string, string], { id: number }>(
    `SELECT id FROM spans WHERE trace_id = ? AND parent_span_id = ? AND kind IN (${KIND_CODES.Server}, ${KIND_CODES.Consumer})`,
  );
  const setParentService = db.prepare('UPDATE spans SET parent_service = ? WHERE id = ?');
  const setRemoteChild = db.prepare('UPDATE spans SET remote_child = 1 WHERE id = ?');
  const exitCodes = new Set([KIND_CODES.Client, KIND_CODES.Producer]);

  return (spans) => {
    const byKey = new Map<string, Span>();
    for (const s of spans) byKey.set(key(s.traceId, s.spanId), s);
    const answered = new Set<string>();
    for (const s of spans) {
      if (!isEntryKind(s.kind) || s.parentSpanId === undefined) continue;
      const parent = byKey.get(key(s.traceId, s.parentSpanId));
      if (parent !== undefined && isExitKind(parent.kind)) answered.add(key(parent.traceId, parent.spanId));
    }
    for (const s of spans) {
      const parent = s.parentSpanId === undefined ? undefined : byKey.get(key(s.traceId, s.parentSpanId));
      const parentService = isEntryKind(s.kind) && parent !== undefined ? parent.service : null;
      const remoteChild = answered.has(key(s.traceId, s.spanId)) ? 1 : 0;
      const db = dbColumnsOf(s.attributes);
      const peer = peerOf(s.kind, s.attributes) ?? null;
      const mapRole = isEntryKind(s.kind) || s.parentSpanId === undefined ? MAP_ENTRY : peer !== null ? MAP_CALL : null;
      const extra =
        s.links !== undefined || s.scope !== undefined || s.inProgress === true
          ? JSON.stringify({ links: s.links, scope: s.scope, inProgress: s.inProgress })
          : null;
      const info = insert.run(
        s.traceId, s.spanId, s.parentSpanId ?? null, s.service, s.name, KIND_CODES[s.kind], s.startTimeMs, s.durationMs,
        STATUS_CODES[s.statusCode], s.statusMessage ?? null, httpStatusOf(s.attributes) ?? null, db.system ?? null,
        db.name ?? null, db.statement ?? null, peer, parentService, remoteChild, mapRole,
        hasException(s) ? 1 : 0, JSON.stringify(s.attributes), JSON.stringify(s.resource), JSON.stringify(s.events), extra,
      );
      const id = Number(info.lastInsertRowid);
      // Links to spans stored by earlier batches.
      if (isEntryKind(s.kind) && s.parentSpanId !== undefined && parent === undefined) {
        const stored = findParent.get(s.traceId, s.parentSpanId);
        if (stored !== undefined) {
          setParentService.run(stored.service, id);
          if (exitCodes.has(stored.kind)) setRemoteChild.run(stored.id);
        }
      }
      if (isExitKind(s.kind) && remoteChild === 0) {
        const children = findEntryChildren.all(s.traceId, s.spanId);
        for (const c of children) setParentService.run(s.service, c.id);
        if (children.length > 0) setRemoteChild.run(id);
      }
    }
  };
}
