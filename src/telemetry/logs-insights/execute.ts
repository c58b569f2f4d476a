import type { QueryAst } from './ast.js';
import type { LogRecord, QueryResult } from './model.js';
import { parseQuery } from './parser.js';
import { buildPipeline } from './pipeline.js';
import type { QueryPlan } from './planner.js';
import { Row } from './row.js';
import { utf8Length, type TimestampFormat } from './values.js';

/** Options of {@link executeQuery}. */
export interface ExecuteOptions {
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
 * @param query a plan from `planQuery`, a parsed query, or query text
 * @param records the records, in any order (sync or async iterable)
 * @throws LogsQueryError when `query` is text that does not parse
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
  const pipeline = buildPipeline(ast, maxRows, options.timestampFormat ?? 'text');
  let recordsScanned = 0;
  let bytesScanned = 0;
  const accept = (record: LogRecord): boolean => {
    recordsScanned++;
    bytesScanned += utf8Length(record.message);
    if (range !== undefined && (record.timestampMs < range.startMs || record.timestampMs > range.endMs)) return true;
    return pipeline.head.push(new Row(record));
  };
  if (maxRows > 0) {
    if (Symbol.asyncIterator in records) {
      for await (const record of records) if (!accept(record)) break;
    } else {
      for (const record of records) if (!accept(record)) break;
    }
  }
  pipeline.head.finish();
  return {
    columns: pipeline.columns,
    rows: pipeline.rows,
    statistics: { recordsScanned, recordsMatched: pipeline.matched(), bytesScanned },
  };
}
