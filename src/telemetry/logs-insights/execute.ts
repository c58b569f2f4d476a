import type { Clock } from '../../core/index.js';
import type { QueryAst } from './ast.js';
import { compileBudget, type QueryBudget } from './budget.js';
import type { LogRecord, QueryResult } from './model.js';
import { parseQuery } from './parser.js';
import { buildPipeline, usesPatterns } from './pipeline.js';
import type { QueryPlan } from './planner.js';
import { Row } from './row.js';
import { ScanMeter } from './scan-meter.js';
import type { TimestampFormat } from './values.js';

/** Records between two looks at the clock when no pattern runs per record (reading one is cheap). */
const CHECK_EVERY_RECORDS = 64;

/** Options of {@link executeQuery}. */
export interface ExecuteOptions extends QueryBudget {
  /**
   * Rows returned when the query has no `limit`. The AWS console shows 1000 rows by default
   * (its API returns up to 10000); pass 10000 to match the API.
   * @default 1000
   */
  readonly defaultLimit?: number;
  /**
   * How timestamp cells are rendered: `text` as AWS (`2024-05-01 12:00:00.000`, UTC) or
   * `epochMs` numbers.
   * @default 'text'
   */
  readonly timestampFormat?: TimestampFormat;
  /**
   * Yield to the event loop after scanning this long, in ms, so one query does not hold up the
   * API and ingest. Only for sources that can be paused between records: a scan over an open
   * better-sqlite3 iterator keeps its connection busy while paused, so it needs a connection of
   * its own (`queryLogs` opens one).
   * @default undefined (never yields)
   */
  readonly yieldEveryMs?: number;
  /**
   * Where the time budget reads the time, in ms.
   * @default performance (monotonic)
   */
  readonly clock?: Clock;
}

/** The default number of rows of a query without `limit` (see {@link ExecuteOptions.defaultLimit}). */
export const DEFAULT_ROW_LIMIT = 1000;

/**
 * Runs a query over log records, streaming: each record flows through filter → fields → parse
 * → stats (aggregated incrementally) as it is read; only `sort` and `dedup` buffer rows. A
 * `limit` (or the default row limit) reached before any buffering stage stops reading early.
 * With a plan, records outside its time range are skipped; the plan's other prefilters are
 * not needed here, since the whole query is checked anyway.
 *
 * The scan is held to a budget (`timeoutMs`, `maxRecordsScanned`), checked cooperatively before
 * each record: the clock is read every 64 records, or every record when the query matches
 * patterns. A single pattern match is linear in its text (RE2 semantics) and cannot run away.
 *
 * @param query a plan from `planQuery`, a parsed query, or query text
 * @param records the records, in any order (sync or async iterable)
 * @throws LogsQueryError when `query` is text that does not parse
 * @throws QueryBudgetError (`SLW_ERR_LOGS_QUERY_BUDGET`, 422) when the scan uses up its budget
 * @throws InputError `SLW_ERR_LOGS_QUERY_INVALID` when a budget option is out of bounds
 */
export async function executeQuery(
  query: QueryPlan | QueryAst | string,
  records: Iterable<LogRecord> | AsyncIterable<LogRecord>,
  options: ExecuteOptions = {},
): Promise<QueryResult> {
  const ast = typeof query === 'string' ? parseQuery(query) : query.kind === 'plan' ? query.ast : query;
  const range = typeof query !== 'string' && query.kind === 'plan' ? query : undefined;
  const hasLimit = ast.commands.some((c) => c.kind === 'limit');
  const maxRows = hasLimit ? Infinity : (options.defaultLimit ?? DEFAULT_ROW_LIMIT);
  const budget = compileBudget(options);
  const pipeline = buildPipeline(ast, maxRows, options.timestampFormat ?? 'text');
  const meter = new ScanMeter(budget, options.clock ?? performance, {
    checkEveryRecords: usesPatterns(ast) ? 1 : CHECK_EVERY_RECORDS,
    yieldEveryMs: options.yieldEveryMs,
  });
  const accept = (record: LogRecord): boolean => {
    if (range !== undefined && (record.timestampMs < range.startMs || record.timestampMs > range.endMs)) return true;
    return pipeline.head.push(new Row(record));
  };
  if (maxRows > 0) {
    if (Symbol.asyncIterator in records) {
      for await (const record of records) {
        if (meter.count(record.message)) await meter.pause();
        if (!accept(record)) break;
      }
    } else {
      for (const record of records) {
        if (meter.count(record.message)) await meter.pause();
        if (!accept(record)) break;
      }
    }
  }
  meter.checkTime();
  pipeline.head.finish();
  return {
    columns: pipeline.columns,
    rows: pipeline.rows,
    statistics: { recordsScanned: meter.recordsScanned, recordsMatched: pipeline.matched(), bytesScanned: meter.bytesScanned },
  };
}
