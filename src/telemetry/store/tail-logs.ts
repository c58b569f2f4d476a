import type { Db } from '../../core/index.js';
import { DEFAULT_RETENTION_MS, type RetentionPolicy } from './retention.js';

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
  /** How long its records are kept, ms: its own retention, else the store's. */
  readonly retentionMs: number;
  /** Records stored and their bytes (message and fields), when asked for (a scan of the group). */
  readonly stored?: { readonly records: number; readonly bytes: number };
}

/** Every log group with its streams and retention, groups sorted by name; with `sizes`, what each stores (reads every record). */
export function listLogGroups(db: Db, policy: RetentionPolicy = {}, options: { readonly sizes?: boolean } = {}): LogGroupInfo[] {
  const groups = db.prepare<[], { id: number; name: string; lastEventMs: number }>('SELECT id, name, last_event_ms AS lastEventMs FROM log_groups ORDER BY name').all();
  const streams = db.prepare<[number], { name: string; lastEventMs: number }>(
    'SELECT name, last_event_ms AS lastEventMs FROM log_streams WHERE group_id = ? ORDER BY last_event_ms DESC, name',
  );
  const sizes = options.sizes
    ? new Map(
        db
          .prepare<[], { groupId: number; records: number; bytes: number }>('SELECT group_id AS groupId, count(*) AS records, coalesce(sum(length(CAST(message AS BLOB)) + coalesce(length(CAST(fields AS BLOB)), 0)), 0) AS bytes FROM logs GROUP BY group_id')
          .all()
          .map((r) => [r.groupId, { records: r.records, bytes: r.bytes }] as const),
      )
    : undefined;
  const own = policy.logGroupsMs ?? {};
  return groups.map((g) => ({
    name: g.name,
    lastEventMs: g.lastEventMs,
    streams: streams.all(g.id),
    retentionMs: Object.hasOwn(own, g.name) ? own[g.name]! : (policy.logsMs ?? DEFAULT_RETENTION_MS),
    ...(sizes ? { stored: sizes.get(g.id) ?? { records: 0, bytes: 0 } } : {}),
  }));
}
