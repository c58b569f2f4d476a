import { InputError } from '../../shared/index.js';

/** Time a query may run when it does not say, in ms. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
/** The largest time budget a query may ask for, in ms. */
export const MAX_QUERY_TIMEOUT_MS = 60_000;
/**
 * Records a query may read when it does not say. Reading costs about 1 µs per record, and
 * `sort` and `dedup` keep the rows they see in memory, so this bounds both time and memory.
 */
export const DEFAULT_MAX_RECORDS_SCANNED = 1_000_000;
/** The largest record budget a query may ask for. */
export const MAX_RECORDS_SCANNED_LIMIT = 10_000_000;

/** How much a query may spend; both optional, both bounded. */
export interface QueryBudget {
  /**
   * Longest the query may run, in ms (wall clock, from the start of the scan), at most
   * {@link MAX_QUERY_TIMEOUT_MS}.
   * @default 10_000
   */
  readonly timeoutMs?: number;
  /**
   * Most records the query may read from the source (those within the time range and the
   * prefilters pushed into storage), at most {@link MAX_RECORDS_SCANNED_LIMIT}.
   * @default 1_000_000
   */
  readonly maxRecordsScanned?: number;
}

/** A {@link QueryBudget} with defaults applied and bounds checked; frozen. */
export interface CompiledQueryBudget {
  readonly timeoutMs: number;
  readonly maxRecordsScanned: number;
}

/** Which budget ran out: the option that sets it. */
export type BudgetName = 'timeoutMs' | 'maxRecordsScanned';

/**
 * Applies defaults and checks bounds.
 * @throws InputError `SLW_ERR_LOGS_QUERY_INVALID` naming the option, its value and what is allowed
 */
export function compileBudget(budget: QueryBudget): CompiledQueryBudget {
  const timeoutMs = budget.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const maxRecordsScanned = budget.maxRecordsScanned ?? DEFAULT_MAX_RECORDS_SCANNED;
  check('timeoutMs', timeoutMs, MAX_QUERY_TIMEOUT_MS);
  check('maxRecordsScanned', maxRecordsScanned, MAX_RECORDS_SCANNED_LIMIT);
  return Object.freeze({ timeoutMs, maxRecordsScanned });
}

function check(name: BudgetName, value: number, max: number): void {
  if (Number.isInteger(value) && value >= 1 && value <= max) return;
  const message = `must be a whole number from 1 to ${max} (got ${value})`;
  throw new InputError('SLW_ERR_LOGS_QUERY_INVALID', `${name} ${message}`, { issues: [{ path: name, message }] });
}

/** A query stopped because it used up its time or record budget (HTTP 422). */
export class QueryBudgetError extends InputError {
  constructor(
    /** The budget that ran out. */
    readonly budget: BudgetName,
    /** Its value (ms or records). */
    readonly limit: number,
    /** Records read before the query stopped. */
    readonly recordsScanned: number,
  ) {
    const narrow = 'narrow the time range, filter on @log or @logStream or with like "text" (those filters are applied in storage, before the scan)';
    const message =
      budget === 'timeoutMs'
        ? `the query ran out of time: its budget is ${limit} ms (timeoutMs) and it had scanned ${recordsScanned} records; ${narrow}, or raise timeoutMs (at most ${MAX_QUERY_TIMEOUT_MS})`
        : `the query ran out of records: its budget is ${limit} records (maxRecordsScanned) and the time range holds more; ${narrow}, or raise maxRecordsScanned (at most ${MAX_RECORDS_SCANNED_LIMIT})`;
    super('SLW_ERR_LOGS_QUERY_BUDGET', message, { issues: [{ path: budget, message }] });
  }
}
