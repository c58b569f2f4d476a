import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { compileBudget, DEFAULT_MAX_RECORDS_SCANNED, DEFAULT_QUERY_TIMEOUT_MS, QueryBudgetError } from './budget.js';
import { executeQuery, type LogRecord } from './index.js';

const records = (n: number): LogRecord[] => Array.from({ length: n }, (_, i) => ({ timestampMs: i, message: `line ${i} aaaa`, logStream: 's', log: 'g' }));

/** A clock that moves 1 ms every time it is read. */
const tickingClock = () => {
  let t = 0;
  return { now: () => ++t };
};

async function budgetErrorOf(run: Promise<unknown>): Promise<QueryBudgetError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof QueryBudgetError) return error;
  throw new Error(`expected a QueryBudgetError, got ${String(error)}`);
}

describe('compileBudget', () => {
  it('applies the defaults', () => {
    // GIVEN no budget WHEN compiled THEN 10 s and a million records
    expect(compileBudget({})).toEqual({ timeoutMs: DEFAULT_QUERY_TIMEOUT_MS, maxRecordsScanned: DEFAULT_MAX_RECORDS_SCANNED });
    expect([DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_MAX_RECORDS_SCANNED]).toEqual([10_000, 1_000_000]);
  });

  it.each([
    // GIVEN a budget out of bounds WHEN compiled THEN the option, the value and the allowed range are named
    { budget: { timeoutMs: 0 }, path: 'timeoutMs', message: 'must be a whole number from 1 to 60000 (got 0)' },
    { budget: { timeoutMs: 60_001 }, path: 'timeoutMs', message: 'must be a whole number from 1 to 60000 (got 60001)' },
    { budget: { timeoutMs: 1.5 }, path: 'timeoutMs', message: 'must be a whole number from 1 to 60000 (got 1.5)' },
    { budget: { maxRecordsScanned: 10_000_001 }, path: 'maxRecordsScanned', message: 'must be a whole number from 1 to 10000000 (got 10000001)' },
    { budget: { maxRecordsScanned: Number.NaN }, path: 'maxRecordsScanned', message: 'must be a whole number from 1 to 10000000 (got NaN)' },
  ])('$path $message', ({ budget, path, message }) => {
    let error: unknown;
    try {
      compileBudget(budget);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'SLW_ERR_LOGS_QUERY_INVALID', status: 400, message: `${path} ${message}`, issues: [{ path, message }] });
  });
});

describe('executeQuery budgets', () => {
  it('stops at the record budget with a 422 that names it and its value', async () => {
    // GIVEN 11 records and a budget of 10 WHEN a query reads them all THEN it stops with the record budget
    const error = await budgetErrorOf(executeQuery('stats count(*) as n', records(11), { maxRecordsScanned: 10 }));
    expect(error).toMatchObject({ code: 'SLW_ERR_LOGS_QUERY_BUDGET', status: 422, budget: 'maxRecordsScanned', limit: 10, recordsScanned: 10 });
    expect(error.message).toBe(
      'the query ran out of records: its budget is 10 records (maxRecordsScanned) and the time range holds more; narrow the time range, filter on @log or @logStream or with like "text" (those filters are applied in storage, before the scan), or raise maxRecordsScanned (at most 10000000)',
    );
    expect(error.issues).toEqual([{ path: 'maxRecordsScanned', message: error.message }]);
    // AND exactly the budget, or a limit reached within it, is fine
    expect((await executeQuery('stats count(*) as n', records(10), { maxRecordsScanned: 10 })).rows).toEqual([{ n: 10 }]);
    expect((await executeQuery('fields @message | limit 3', records(11), { maxRecordsScanned: 3 })).rows).toHaveLength(3);
  });

  it.each([
    // GIVEN a clock that moves 1 ms per read and a 50 ms budget WHEN a query runs THEN it stops when time is up;
    // a pattern query reads the clock every record, another one every 64 records
    { query: 'filter @message like /a+$/ | stats count(*) as n', scanned: 50 },
    { query: 'parse @message "line *" as n | stats count(*) as c', scanned: 50 },
    { query: 'filter @message like "aaaa" | stats count(*) as n', scanned: 64 * 50 },
  ])('$query runs out of time after $scanned records', async ({ query, scanned }) => {
    const error = await budgetErrorOf(executeQuery(query, records(10_000), { timeoutMs: 49, clock: tickingClock() }));
    expect(error).toMatchObject({ code: 'SLW_ERR_LOGS_QUERY_BUDGET', status: 422, budget: 'timeoutMs', limit: 49, recordsScanned: scanned });
    expect(error.message).toBe(
      `the query ran out of time: its budget is 49 ms (timeoutMs) and it had scanned ${scanned} records; narrow the time range, filter on @log or @logStream or with like "text" (those filters are applied in storage, before the scan), or raise timeoutMs (at most 60000)`,
    );
  });

  it('yields to the event loop while it scans when asked, and not otherwise', async () => {
    // GIVEN a callback queued on the event loop before the query starts
    const run = async (yieldEveryMs?: number) => {
      let ran = false;
      setImmediate(() => (ran = true));
      const result = await executeQuery('filter @message like /a$/ | stats count(*) as n', records(1000), { clock: tickingClock(), ...(yieldEveryMs === undefined ? {} : { yieldEveryMs }) });
      return { ranDuringQuery: ran, n: result.rows[0]?.n };
    };
    // WHEN the query may yield every 5 ms THEN the callback runs before the query answers
    expect(await run(5)).toEqual({ ranDuringQuery: true, n: 1000 });
    // WHEN it may not THEN the scan runs in one go (a source over a shared connection must not pause)
    expect(await run()).toEqual({ ranDuringQuery: false, n: 1000 });
  });
});
