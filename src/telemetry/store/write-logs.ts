import type { Clock, Db } from '../../core/index.js';
import type { LogEntry } from './log-entry.js';

/** Writes log entries; call inside a transaction. */
export type LogWriter = (entries: readonly LogEntry[]) => void;

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
  return (entries) => {
    const nowMs = clock.now();
    const latest = new Map<string, { groupId: number; stream: string; timeMs: number }>();
    for (const e of entries) {
      const gid = groupId(e.group, e.timeMs);
      const fields = e.fields !== undefined && Object.keys(e.fields).length > 0 ? JSON.stringify(e.fields) : null;
      insert.run(e.timeMs, nowMs, gid, e.stream, e.severity, e.message, e.traceId ?? null, e.spanId ?? null, fields);
      const k = `${gid}\u0000${e.stream}`;
      const seen = latest.get(k);
      if (seen === undefined || seen.timeMs < e.timeMs) latest.set(k, { groupId: gid, stream: e.stream, timeMs: e.timeMs });
    }
    for (const { groupId: gid, stream, timeMs } of latest.values()) {
      touchGroup.run(timeMs, gid);
      touchStream.run(gid, stream, timeMs);
    }
  };
}

