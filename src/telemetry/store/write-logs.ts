import type { Clock, Db } from '../../core/index.js';
import type { LogRow } from './log-row.js';

/** Writes log rows; call inside a transaction. */
export type LogWriter = (rows: readonly LogRow[]) => void;

/**
 * Prepares the statements that store log entries. Group ids are cached; each
 * batch updates the `last_event_ms` of the groups and streams it touched once.
 */
export function createLogWriter(db: Db, clock: Clock): LogWriter {
  const findGroup = db.prepare<[string], { id: number }>('SELECT id FROM log_groups WHERE name = ?');
  const insertGroup = db.prepare('INSERT INTO log_groups (name, last_event_ms) VALUES (?, ?)');
  const touchGroup = db.prepare('UPDATE log_groups SET last_event_ms = max(last_event_ms, ?) WHERE id = ?');
  const touchStream = db.prepare(`INSERT INTO log_streams (group_id, name, last_event_ms) VALUES (?, ?, ?)
    ON CONFLICT (group_id, name) DO UPDATE SET last_event_ms = max(last_event_ms, excluded.last_event_ms)`);
  const insert = db.prepare(
    'INSERT INTO logs (time_ms, ingest_ms, group_id, stream, severity, message, trace_id, span_id, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const groups = new Map<string, number>();
  const groupId = (name: string, timeMs: number): number => {
    const cached = groups.get(name);
    if (cached !== undefined) return cached;
    const id = findGroup.get(name)?.id ?? Number(insertGroup.run(name, timeMs).lastInsertRowid);
    groups.set(name, id);
    return id;
  };
  return (rows) => {
    const nowMs = clock.now();
    const latest = new Map<string, { groupId: number; stream: string; timeMs: number }>();
    for (const [timeMs, group, stream, severity, message, traceId, spanId, fields] of rows) {
      const gid = groupId(group, timeMs);
      insert.run(timeMs, nowMs, gid, stream, severity, message, traceId, spanId, fields);
      const k = `${gid}\u0000${stream}`;
      const seen = latest.get(k);
      if (seen === undefined || seen.timeMs < timeMs) latest.set(k, { groupId: gid, stream, timeMs });
    }
    for (const { groupId: gid, stream, timeMs } of latest.values()) {
      touchGroup.run(timeMs, gid);
      touchStream.run(gid, stream, timeMs);
    }
  };
}
