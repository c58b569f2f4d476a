import type { Db } from '../../core/index.js';
import { KIND_CODES } from './span-columns.js';
import { SPAN_ROW, type SpanRow } from './span-row.js';

export { MAP_CALL, MAP_ENTRY } from './span-row.js';

/** Writes span rows; call inside a transaction. */
export type SpanWriter = (rows: readonly SpanRow[]) => void;

const key = (traceId: string, spanId: string): string => `${traceId}/${spanId}`;
const ENTRY = new Set([KIND_CODES.Server, KIND_CODES.Consumer]);
const EXIT = new Set([KIND_CODES.Client, KIND_CODES.Producer]);
const { traceId: T, spanId: S, parentSpanId: P, service: SVC, kind: K } = SPAN_ROW;

/**
 * Prepares the statements that store spans and resolve cross-service links. A
 * server/consumer span learns its caller's service (`parent_service`); a
 * client/producer span learns that a server span answered it (`remote_child`),
 * whichever of the two arrives first. Links inside one batch resolve in memory.
 */
export function createSpanWriter(db: Db): SpanWriter {
  const insert = db.prepare(`INSERT INTO spans (trace_id, span_id, parent_span_id, service, name, kind, start_ms, duration_ms, status,
      status_message, http_status, db_system, db_name, db_statement, peer, map_role, has_exception,
      attributes, resource, events, extra, parent_service, remote_child)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const findParent = db.prepare<[string, string], { id: number; service: string; kind: number }>(
    'SELECT id, service, kind FROM spans WHERE trace_id = ? AND span_id = ? LIMIT 1',
  );
  const findEntryChildren = db.prepare<[string, string], { id: number }>(
    `SELECT id FROM spans WHERE trace_id = ? AND parent_span_id = ? AND kind IN (${KIND_CODES.Server}, ${KIND_CODES.Consumer})`,
  );
  const setParentService = db.prepare('UPDATE spans SET parent_service = ? WHERE id = ?');
  const setRemoteChild = db.prepare('UPDATE spans SET remote_child = 1 WHERE id = ?');

  return (rows) => {
    const byKey = new Map<string, SpanRow>();
    for (const r of rows) byKey.set(key(r[T], r[S]), r);
    const answered = new Set<string>();
    for (const r of rows) {
      const parentId = r[P];
      if (!ENTRY.has(r[K]) || parentId === null) continue;
      const parent = byKey.get(key(r[T], parentId));
      if (parent !== undefined && EXIT.has(parent[K])) answered.add(key(parent[T], parent[S]));
    }
    for (const r of rows) {
      const parentId = r[P];
      const parent = parentId === null ? undefined : byKey.get(key(r[T], parentId));
      const entry = ENTRY.has(r[K]);
      const parentService = entry && parent !== undefined ? parent[SVC] : null;
      const remoteChild = answered.has(key(r[T], r[S])) ? 1 : 0;
      const id = Number(insert.run(...r, parentService, remoteChild).lastInsertRowid);
      // Links to spans stored by earlier batches.
      if (entry && parentId !== null && parent === undefined) {
        const stored = findParent.get(r[T], parentId);
        if (stored !== undefined) {
          setParentService.run(stored.service, id);
          if (EXIT.has(stored.kind)) setRemoteChild.run(stored.id);
        }
      }
      if (EXIT.has(r[K]) && remoteChild === 0) {
        const children = findEntryChildren.all(r[T], r[S]);
        for (const c of children) setParentService.run(r[SVC], c.id);
        if (children.length > 0) setRemoteChild.run(id);
      }
    }
  };
}
