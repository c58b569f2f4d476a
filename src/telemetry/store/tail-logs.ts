import type { Db } from '../../core/index.js';

/** What to tail. */
export interface TailQuery {
  /** Exact log group. */
  readonly group?: string;
  /** Every group of this service (`/slipway/<any environment>/<service>`), when `group` is absent. */
  readonly service?: string;
  /** Only this stream. */
  readonly stream?: string;
  /** Only records stored after this cursor (a previous answer's `nextAfter`). */
  readonly after?: number;
  /** At most this many records. @default 100 */
  readonly limit?: number;
}

/** One tailed record. */
export interface TailedLog {
  /** Cursor of the record. */
  readonly id: number;
  /** When it happened, ms. */
  readonly timeMs: number;
  /** Its log group. */
  readonly group: string;
  /** Its stream. */
  readonly stream: string;
  /** Severity text. */
  readonly severity: string;
  /** The line. */
  readonly message: string;
}

/** A page of a tail. */
export interface TailPage {
  /** Records, oldest first. */
  readonly events: TailedLog[];
  /** The cursor to pass as `after` next time. */
  readonly nextAfter: number;
}

/**
 * The latest records (without `after`) or those stored after a cursor, oldest
 * first, in storage order: what `slipway logs tail --follow` polls.
 */
export function tailLogs(db: Db, q: TailQuery): TailPage {
  const limit = q.limit ?? 100;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.group !== undefined) {
    where.push('g.name = ?');
    params.push(q.group);
  } else if (q.service !== undefined) {
    where.push("g.name LIKE '/slipway/%/' || ? ESCAPE '\\'");
    params.push(q.service.replace(/[\\%_]/g, (c) => `\\${c}`));
  }
  if (q.stream !== undefined) {
    where.push('l.stream = ?');
    params.push(q.stream);
  }
  if (q.after !== undefined) {
    where.push('l.id > ?');
    params.push(q.after);
  }
  const order = q.after === undefined ? 'DESC' : 'ASC';
  const rows = db
    .prepare<unknown[], TailedLog>(
      `SELECT l.id AS id, l.time_ms AS timeMs, g.name AS "group", l.stream AS stream, l.severity AS severity, l.message AS message
       FROM logs l JOIN log_groups g ON g.id = l.group_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id ${order} LIMIT ?`,
    )
    .all(...params, limit);
  if (order === 'DESC') rows.reverse();
  return { events: rows, nextAfter: rows.at(-1)?.id ?? q.after ?? 0 };
}

/** A log group with its streams. */
export interface LogGroupInfo {
  /** The group name. */
  readonly name: string;
  /** Time of its latest record, ms. */
  readonly lastEventMs: number;
  /** Its streams, most recent first. */
  readonly streams: { readonly name: string; readonly lastEventMs: number }[];
}

/** Every log group with its streams, groups sorted by name. */
export function listLogGroups(db: Db): LogGroupInfo[] {
  const groups = db.prepare<[], { id: number; name: string; lastEventMs: number }>('SELECT id, name, last_event_ms AS lastEventMs FROM log_groups ORDER BY name').all();
  const streams = db.prepare<[number], { name: string; lastEventMs: number }>(
    'SELECT name, last_event_ms AS lastEventMs FROM log_streams WHERE group_id = ? ORDER BY last_event_ms DESC, name',
  );
  return groups.map((g) => ({ name: g.name, lastEventMs: g.lastEventMs, streams: streams.all(g.id) }));
}
