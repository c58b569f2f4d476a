import { QueryBudgetError, compileBudget } from './budget.js';
import type { ExecuteOptions } from './execute.js';
import { DEFAULT_ROW_LIMIT } from './execute.js';
import type { QueryResult } from './model.js';
import { buildPipeline } from './pipeline.js';
import type { CountByBin, QueryPlan } from './planner.js';
import { Row } from './row.js';
import { Timestamp } from './values.js';

/** The records of one bin as a store counted them. */
export interface BinCount {
  /** The bin's start, ms (a multiple of the period since the epoch). */
  readonly binStartMs: number;
  /** Records in the bin that match the query's filters. */
  readonly records: number;
  /** UTF-8 bytes of their messages. */
  readonly bytes: number;
}

/**
 * Runs a query whose `filter… | stats count(*) by bin(…)` a store answered by counting (see
 * `QueryPlan.countByBin`): the counts become the rows `stats` would have produced, in the order
 * a newest-first scan meets them (newest bin first), and the commands after `stats` run on them.
 * Statistics and budgets are those of reading the records: scanned = matched = the counted
 * records; more than `maxRecordsScanned` fails as the scan would have.
 * @param bins the counts, in any order
 * @throws QueryBudgetError when the counted records pass the record budget
 */
export function executeCountByBin(plan: QueryPlan & { readonly countByBin: CountByBin }, bins: readonly BinCount[], options: ExecuteOptions = {}): QueryResult {
  const { ast, countByBin } = plan;
  const budget = compileBudget(options);
  const hasLimit = ast.commands.some((c) => c.kind === 'limit');
  const maxRows = hasLimit ? Infinity : (options.defaultLimit ?? DEFAULT_ROW_LIMIT);
  const pipeline = buildPipeline(ast, maxRows, options.timestampFormat ?? 'text', countByBin.statsIndex + 1);
  let records = 0;
  let bytes = 0;
  for (const b of bins) {
    records += b.records;
    bytes += b.bytes;
  }
  if (records > budget.maxRecordsScanned) throw new QueryBudgetError('maxRecordsScanned', budget.maxRecordsScanned, budget.maxRecordsScanned);
  if (maxRows > 0) {
    for (const b of [...bins].filter((x) => x.records > 0).sort((x, y) => y.binStartMs - x.binStartMs)) {
      const row = new Row();
      row.set(countByBin.binName, new Timestamp(b.binStartMs));
      row.set(countByBin.countName, b.records);
      if (!pipeline.head.push(row)) break;
    }
  }
  pipeline.head.finish();
  return { columns: pipeline.columns, rows: pipeline.rows, statistics: { recordsScanned: records, recordsMatched: records, bytesScanned: bytes } };
}
