import { openReadConnection, type Db } from '../../../core/index.js';
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
 * How long a scan runs before it lets the event loop run, ms: short enough that the API, the
 * OTLP receiver and signals are answered within a few tens of ms while a long query runs.
 */
export const QUERY_YIELD_EVERY_MS = 10;

/**
 * Runs a Logs Insights query against the store: the plan's time range, log groups,
 * streams, `@message like` literals and limit hint become SQL; the rows stream into
 * the evaluator, which checks the whole query within its budget (`timeoutMs`,
 * `maxRecordsScanned`). On a database file the scan reads through a connection of its own
 * and yields every {@link QUERY_YIELD_EVERY_MS} ms, so ingest keeps writing and the API keeps
 * answering; an in-memory database (tests) is scanned without yielding.
 * @throws LogsQueryError (400) for a query that does not parse, InputError for a bad range or
 *   budget, QueryBudgetError (422) when the budget runs out.
 */
export async function queryLogs(db: Db, q: LogsQuery, options: ExecuteOptions = {}): Promise<QueryResult> {
  const plan = planQuery(q.query, { startMs: q.startMs, endMs: q.endMs });
  const reader = openReadConnection(db);
  try {
    // Pausing a scan of the shared connection would make every write on it fail meanwhile.
    const { yieldEveryMs, ...rest } = options;
    const pausable = reader === undefined ? {} : { yieldEveryMs: yieldEveryMs ?? QUERY_YIELD_EVERY_MS };
    return await executeQuery(plan, scanLogs(reader ?? db, plan), { ...rest, ...pausable });
  } finally {
    reader?.close();
  }
}
