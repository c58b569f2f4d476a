import type { Db } from '../../../core/index.js';

/** A stored log record with what analyses that attribute records themselves need. */
export interface FoundLog {
  readonly timeMs: number;
  /** Its log group, e.g. `/slipway/production/orders`. */
  readonly group: string;
  readonly message: string;
  readonly traceId: string | undefined;
  /** The record's attributes (and `severity`, `trace_id`, `span_id`) as the query language sees them. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A window of log records to read whole. */
export interface LogScan {
  /** Window start (record time), ms, inclusive. */
  readonly startMs: number;
  /** Window end, ms, exclusive. */
  readonly endMs: number;
  /** Most records returned, oldest first. */
  readonly limit: number;
  /** Only records that belong to a trace. @default false */
  readonly tracedOnly?: boolean;
}

interface Row {
  time_ms: number;
  name: string;
  message: string;
  trace_id: string | null;
  fields: string | null;
}

/** The log records of a window, oldest first, and whether the limit cut it short. */
export function findLogs(db: Db, q: LogScan): { logs: FoundLog[]; truncated: boolean } {
  const rows = db
    .prepare<[number, number, number], Row>(
      `SELECT l.time_ms, g.name, l.message, l.trace_id, l.fields FROM logs l JOIN log_groups g ON g.id = l.group_id
       WHERE l.time_ms >= ? AND l.time_ms < ?${q.tracedOnly === true ? ' AND l.trace_id IS NOT NULL' : ''} ORDER BY l.time_ms, l.id LIMIT ?`,
    )
    .all(q.startMs, q.endMs, q.limit + 1);
  const truncated = rows.length > q.limit;
  const logs = (truncated ? rows.slice(0, q.limit) : rows).map((r) => ({
    timeMs: r.time_ms,
    group: r.name,
    message: r.message,
    traceId: r.trace_id ?? undefined,
    fields: r.fields === null ? {} : (JSON.parse(r.fields) as Record<string, unknown>),
  }));
  return { logs, truncated };
}
