import { describe, expect, it } from 'vitest';
import { executeQuery, planQuery, QueryBudgetError } from '../../logs-insights/index.js';
import type { LogEntry } from '../../store/log-entry.js';
import { scanLogs } from '../../store/read-logs.js';
import { memoryStore } from '../../store/test-fixtures/make.js';
import { queryLogs } from './query-logs.js';

const T0 = Date.UTC(2026, 0, 1);
const GROUPS = ['/slipway/production/gateway', '/slipway/production/orders'];

// GIVEN 3 000 records over 50 minutes at uneven times (fractional ms too), two groups, a few levels.
let seed = 3;
const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const records: LogEntry[] = Array.from({ length: 3000 }, (_, i) => {
  const level = i % 4 === 0 ? 'ERROR' : i % 9 === 0 ? 'WARN' : 'INFO';
  return { timeMs: T0 + Math.floor(rand() * 3_000_000) + (i % 3) / 4, group: GROUPS[i % 2] as string, stream: `t-${i % 3}`, message: `${level} GET /items/${i % 40} é ${i}`, severity: level };
});
const store = memoryStore();
store.write({ spans: [], points: [], logs: records });

const queries = [
  'stats count(*) by bin(1m)',
  'filter @message like "ERROR" | stats count(*) by bin(1m)',
  'filter @message like /WARN/ and @log = "/slipway/production/orders" | stats count(*) as n by bin(5m) as t | sort t asc',
  'filter @logStream in ["t-1", "t-2"] | stats count() by bin(30s) | sort `count()` desc | limit 4',
  'filter @message like "ERROR" | stats count(*) as errors by bin(10m) | display errors',
  'filter @message like "nothing like this" | stats count(*) by bin(1m)',
];

describe('stats count(*) by bin(…) counted in SQL', () => {
  it.each(queries)('%s gives what reading every record gives', async (query) => {
    const window = { startMs: T0 + 123_456.5, endMs: T0 + 2_900_000 };
    const plan = planQuery(query, window);
    // WHEN the plan says SQL can count (it does for each of these)
    expect(plan.countByBin).toBeDefined();
    const pushed = await queryLogs(store.db, { query, ...window });
    // THEN rows, their order, columns and statistics are those of the streaming evaluator
    const { countByBin: _, ...streamed } = plan;
    const reference = await executeQuery(streamed, scanLogs(store.db, streamed));
    expect(pushed).toEqual(reference);
  });

  it.each(['stats count(*), avg(x) by bin(1m)', 'fields @message | stats count(*) by bin(1m)', 'filter @message like /err/i | stats count(*) by bin(1m)', 'stats count(*) by bin(1mon)', 'stats count(*) by @log'])(
    'is not used for %s',
    (query) => {
      expect(planQuery(query, { startMs: T0, endMs: T0 + 1 }).countByBin).toBeUndefined();
    },
  );

  it('keeps the record budget: more matching records than allowed fail as a scan would', async () => {
    const query = 'stats count(*) by bin(1m)';
    await expect(queryLogs(store.db, { query, startMs: T0, endMs: T0 + 3_000_000 }, { maxRecordsScanned: 100 })).rejects.toBeInstanceOf(QueryBudgetError);
    await expect(queryLogs(store.db, { query, startMs: T0, endMs: T0 + 3_000_000 }, { maxRecordsScanned: 3000 })).resolves.toMatchObject({ statistics: { recordsScanned: 3000 } });
  });
});
