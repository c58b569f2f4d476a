import type { Db } from '../../core/index.js';
import type { FieldValue, LogRecord, QueryPlan } from '../logs-insights/index.js';

type Fields = Readonly<Record<string, FieldValue>>;

/** A stored record; `fields` is parsed from JSON on first use only. */
class StoredLogRecord implements LogRecord {
  #fieldsJson: string | null;
  #fields: Fields | undefined;
  constructor(
    readonly timestampMs: number,
    readonly ingestionTimeMs: number,
    readonly log: string,
    readonly logStream: string,
    readonly message: string,
    fieldsJson: string | null,
    traceId: string | null,
    spanId: string | null,
  ) {
    this.#fieldsJson = fieldsJson;
    if (traceId !== null) this.traceId = traceId;
    if (spanId !== null) this.spanId = spanId;
  }
  readonly traceId?: string;
  readonly spanId?: string;
  get fields(): Fields | undefined {
    if (this.#fieldsJson !== null) {
      this.#fields = JSON.parse(this.#fieldsJson) as Fields;
      this.#fieldsJson = null;
    }
    return this.#fields;
  }
}

/** Ids of the named log groups that exist. */
export function logGroupIds(db: Db, names: readonly string[]): Map<number, string> {
  const ids = new Map<number, string>();
  const stmt = db.prepare<[string], { id: number }>('SELECT id FROM log_groups WHERE name = ?');
  for (const n of names) {
    const row = stmt.get(n);
    if (row !== undefined) ids.set(row.id, n);
  }
  return ids;
}

/** Every log group by id. */
export function allLogGroups(db: Db): Map<number, string> {
  const rows = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM log_groups').all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The SQL a plan pushes down: exposed so tests and the benchmark can see it. */
export interface LogScanSql {
  /** The statement. */
  readonly sql: string;
  /** Its parameters. */
  readonly params: readonly (string | number)[];
  /** Group names by id, for the rows. */
  readonly groups: ReadonlyMap<number, string>;
}

/**
 * The SQL that reads the records a plan can match, newest first: the time range,
 * the log groups, streams and traces, each `@message like "literal"` as `instr()`, and the
 * limit hint. `undefined` when the plan can match nothing.
 */
export function logScanSql(db: Db, plan: QueryPlan): LogScanSql | undefined {
  const filter = logFilterSql(db, plan);
  if (filter === undefined) return undefined;
  const params = [...filter.params];
  let sql = `SELECT time_ms, ingest_ms, group_id, stream, message, fields, trace_id, span_id FROM logs WHERE ${filter.where} ORDER BY time_ms DESC`;
  if (plan.limitHint !== undefined) {
    sql += ' LIMIT ?';
    params.push(plan.limitHint);
  }
  return { sql, params, groups: filter.groups };
}

/** The `WHERE` clause of a plan's prefilters (see {@link logScanSql}); `undefined` when nothing can match. */
export function logFilterSql(db: Db, plan: QueryPlan): { where: string; params: (string | number)[]; groups: Map<number, string> } | undefined {
  const where = ['time_ms >= ?', 'time_ms <= ?'];
  const params: (string | number)[] = [plan.startMs, plan.endMs];
  let groups: Map<number, string>;
  if (plan.logGroups !== undefined) {
    groups = logGroupIds(db, plan.logGroups);
    if (groups.size === 0) return undefined;
    where.push(`group_id IN (${[...groups.keys()].join(', ')})`);
  } else {
    groups = allLogGroups(db);
  }
  if (plan.logStreams !== undefined) {
    if (plan.logStreams.length === 0) return undefined;
    where.push(`stream IN (${plan.logStreams.map(() => '?').join(', ')})`);
    params.push(...plan.logStreams);
  }
  if (plan.traceIds !== undefined) {
    if (plan.traceIds.length === 0) return undefined;
    where.push(`trace_id IN (${plan.traceIds.map(() => '?').join(', ')})`);
    params.push(...plan.traceIds);
  }
  for (const s of plan.messageContains) {
    where.push('instr(message, ?) > 0');
    params.push(s);
  }
  return { where: where.join(' AND '), params, groups };
}

/** Streams the records a plan can match (see {@link logScanSql}) as query records. */
export function* scanLogs(db: Db, plan: QueryPlan): Generator<LogRecord> {
  const scan = logScanSql(db, plan);
  if (scan === undefined) return;
  const stmt = db.prepare(scan.sql).raw(true);
  for (const row of stmt.iterate(...scan.params) as IterableIterator<[number, number, number, string, string, string | null, string | null, string | null]>) {
    yield new StoredLogRecord(row[0], row[1], scan.groups.get(row[2]) ?? '', row[3], row[4], row[5], row[6], row[7]);
  }
}
