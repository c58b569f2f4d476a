import type { Db } from '../../../core/index.js';
import { executeQuery, planQuery, type ExecuteOptions, type QueryResult } from '../../logs-insights/index.js';
import { scanLogs } from '../../store/read-logs.js';

/** A Logs Insights query over a window. */
export interface LogsQuery {
  /** The query text. */
  readonly query: string;
  /** Window start, ms, inclusive. */
  readonly startMs: number;
  /** Window end, ms, inclusive (as AWS). */
  readonly endMs: number;
}

/**
 * Runs a Logs Insights query against the store: the plan's time range, log groups,
 * streams, `@message like` literals and limit hint become SQL; the rows stream into
 * the evaluator, which checks the whole query.
 * @throws LogsQueryError (400) for a query that does not parse, InputError for a bad range.
 */
export function queryLogs(db: Db, q: LogsQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
  const plan = planQuery(q.query, { startMs: q.startMs, endMs: q.endMs });
  return executeQuery(plan, scanLogs(db, plan), options);
}
