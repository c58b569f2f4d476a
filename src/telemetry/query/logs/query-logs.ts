import { openReadConnection, type Db } from '../../../core/index.js';
import {
  executeCountByBin,
  executeQuery,
  planQuery,
  compileBudget,
  QueryBudgetError,
  type BinCount,
  type CountByBin,
  type ExecuteOptions,
  type QueryPlan,
  type QueryResult,
} from '../../logs-insights/index.js';
import { countLogsByBin } from '../../store/count-logs-by-bin.js';
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
 * streams, `@message like` literals and limit hint become SQL; a query that is exactly those
 * filters then `stats count(*) by bin(…)` is counted per bin in SQL (`GROUP BY`, in slices of
 * the window so the event loop still runs between them) and only the commands after `stats`
 * run in JavaScript; otherwise the rows stream into the evaluator, which checks the whole query within its budget (`timeoutMs`,
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
    if (plan.countByBin !== undefined) return await countByBin({ ...plan, countByBin: plan.countByBin }, reader ?? db, { ...rest, ...pausable });
    return await executeQuery(plan, scanLogs(reader ?? db, plan), { ...rest, ...pausable });
  } finally {
    reader?.close();
  }
}

/** Bins per SQL slice: a slice is one statement, so the event loop waits for it at most. */
const BINS_PER_SLICE = 8;

/** Counts per bin in slices of the window, newest first, within the time budget, yielding between slices. */
async function countByBin(plan: QueryPlan & { readonly countByBin: CountByBin }, db: Db, options: ExecuteOptions): Promise<QueryResult> {
  const clock = options.clock ?? performance;
  const started = clock.now();
  const { timeoutMs } = compileBudget(options);
  const sliceMs = plan.countByBin.periodMs * BINS_PER_SLICE;
  const bins: BinCount[] = [];
  let lastYield = started;
  // Slices aligned to bins, so no bin is split between two of them.
  for (let from = Math.floor(plan.endMs / sliceMs) * sliceMs; from + sliceMs > plan.startMs; from -= sliceMs) {
    bins.push(...countLogsByBin(db, plan, plan.countByBin.periodMs, from, from + sliceMs));
    const now = clock.now();
    if (now - started > timeoutMs) throw new QueryBudgetError('timeoutMs', timeoutMs, bins.reduce((n, b) => n + b.records, 0));
    if (options.yieldEveryMs !== undefined && now - lastYield >= options.yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = clock.now();
    }
  }
  return executeCountByBin(plan, bins, options);
}
