import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/index.js';
import { planQuery } from '../../logs-insights/index.js';
import type { LogEntry } from '../../store/log-entry.js';
import { logScanSql } from '../../store/read-logs.js';
import { memoryStore } from '../../store/test-fixtures/make.js';
import { openTelemetryStore, type TelemetryStore } from '../../store/telemetry-store.js';
import { queryLogs } from './query-logs.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const GROUPS = ['/slipway/production/gateway', '/slipway/production/orders', '/slipway/pipeline/shop'];
const STREAMS: Record<string, string[]> = { [GROUPS[0] as string]: ['g-1', 'g-2'], [GROUPS[1] as string]: ['o-1'], [GROUPS[2] as string]: ['build-7'] };

// 600 records over 10 minutes: every 4th an ERROR, every 7th a timeout, every 5th JSON with status and latency.
const records: LogEntry[] = Array.from({ length: 600 }, (_, i) => {
  const group = GROUPS[i % 3] as string;
  const streams = STREAMS[group] as string[];
  const stream = streams[i % streams.length] as string;
  const level = i % 4 === 0 ? 'ERROR' : 'INFO';
  const message = i % 5 === 0 ? JSON.stringify({ level, status: i % 2 === 0 ? 500 : 200, latency: i % 97 }) : `${level} request ${i}${i % 7 === 0 ? ' timeout' : ''}`;
  return { timeMs: T0 + i * 1000, group, stream, message, severity: level };
});

const inRange = (r: LogEntry, startMs: number, endMs: number) => r.timeMs >= startMs && r.timeMs <= endMs;
const json = (r: LogEntry) => (r.message.startsWith('{') ? (JSON.parse(r.message) as { status: number; latency: number; level: string }) : undefined);
const countBy = <K extends string | number>(rs: LogEntry[], key: (r: LogEntry) => K) => {
  const m = new Map<K, number>();
  for (const r of rs) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
};

describe('Logs Insights queries over the store (push-down)', () => {
  let store: TelemetryStore;
  beforeAll(() => {
    store = memoryStore();
    store.write({ spans: [], points: [], logs: records });
  });
  afterAll(() => store.close());
  const run = (query: string, startMs = T0, endMs = T0 + 10 * MIN) => queryLogs(store.db, { query, startMs, endMs }, { timestampFormat: 'epochMs', defaultLimit: 10_000 });

  it('1: counts records inside an inclusive time range', async () => {
    const r = await run('stats count(*) as n', T0 + 2 * MIN, T0 + 5 * MIN);
    expect(r.rows).toEqual([{ n: records.filter((x) => inRange(x, T0 + 2 * MIN, T0 + 5 * MIN)).length }]);
    expect(r.statistics.recordsScanned).toBe(181);
  });

  it('2: reads only the log group asked for', async () => {
    const r = await run('filter @log = "/slipway/production/orders" | stats count(*) as n');
    const expected = records.filter((x) => x.group === GROUPS[1]).length;
    expect([r.rows, r.statistics.recordsScanned]).toEqual([[{ n: expected }], expected]);
  });

  it('3: reads only the stream asked for', async () => {
    const r = await run('filter @logStream = "g-2" | stats count(*) as n');
    const expected = records.filter((x) => x.stream === 'g-2').length;
    expect([r.rows, r.statistics.recordsScanned]).toEqual([[{ n: expected }], expected]);
  });

  it('4: pushes message contains into SQL and bins by minute', async () => {
    const r = await run('filter @message like "ERROR" | stats count(*) as n by bin(1m) as minute | sort minute asc');
    const matching = records.filter((x) => x.message.includes('ERROR'));
    const expected = [...countBy(matching, (x) => Math.floor((x.timeMs - T0) / MIN) * MIN + T0)].map(([minute, n]) => ({ minute, n }));
    expect(r.rows).toEqual(expected);
    expect(r.statistics.recordsScanned).toBe(matching.length);
  });

  it('5: combines groups (in) and a message literal', async () => {
    const r = await run(`filter @log in ["${GROUPS[0]}", "${GROUPS[2]}"] and @message like "timeout" | stats count(*) as n by @log | sort @log asc`);
    const m = countBy(records.filter((x) => x.group !== GROUPS[1] && x.message.includes('timeout')), (x) => x.group);
    expect(r.rows).toEqual([...m].sort((a, b) => a[0].localeCompare(b[0])).map(([log, n]) => ({ '@log': log, n })));
  });

  it('6: sorts and limits a stream', async () => {
    const r = await run('filter @logStream = "g-1" | fields @message | sort @timestamp desc | limit 3');
    expect(r.rows.map((x) => x['@message'])).toEqual(records.filter((x) => x.stream === 'g-1').slice(-3).reverse().map((x) => x.message));
  });

  it('7: stops reading at the limit when every filter is pushed down (newest first)', async () => {
    const r = await run('filter @message like "ERROR" | fields @message | limit 5');
    expect(r.rows.map((x) => x['@message'])).toEqual(records.filter((x) => x.message.includes('ERROR')).slice(-5).reverse().map((x) => x.message));
    expect(r.statistics.recordsScanned).toBe(5);
  });

  it('8: reads nothing for a log group that does not exist', async () => {
    const r = await run('filter @log = "/slipway/nope" | stats count(*) as n');
    expect([r.rows, r.statistics.recordsScanned]).toEqual([[], 0]);
  });

  it('9: filters on JSON members (not pushed down) and groups by stream', async () => {
    const r = await run('filter status >= 500 | stats count(*) as n by @logStream | sort @logStream asc');
    const m = countBy(records.filter((x) => (json(x)?.status ?? 0) >= 500), (x) => x.stream);
    expect(r.rows).toEqual([...m].sort((a, b) => a[0].localeCompare(b[0])).map(([s, n]) => ({ '@logStream': s, n })));
  });

  it('10: averages a JSON member within a stream and a message literal', async () => {
    const r = await run('filter @message like "ERROR" and @logStream = "o-1" | stats avg(latency) as avg, count(*) as n');
    const rs = records.filter((x) => x.stream === 'o-1' && x.message.includes('ERROR') && json(x) !== undefined);
    const all = records.filter((x) => x.stream === 'o-1' && x.message.includes('ERROR'));
    expect(r.rows).toEqual([{ avg: rs.reduce((a, x) => a + (json(x)?.latency ?? 0), 0) / rs.length, n: all.length }]);
  });

  it('11: evaluates a regex filter over every record in range', async () => {
    const r = await run('filter @message =~ /time(out)?$/ | stats count(*) as n', T0, T0 + 5 * MIN);
    const expected = records.filter((x) => inRange(x, T0, T0 + 5 * MIN) && /time(out)?$/.test(x.message)).length;
    expect([r.rows, r.statistics.recordsScanned]).toEqual([[{ n: expected }], 301]);
  });

  it('12: counts distinct streams per group with a time range and a negated literal', async () => {
    const r = await run('filter @message not like "ERROR" | stats count_distinct(@logStream) as streams by @log | sort @log asc', T0 + MIN, T0 + 2 * MIN);
    expect(r.rows).toEqual([
      { '@log': GROUPS[2], streams: 1 },
      { '@log': GROUPS[0], streams: 2 },
      { '@log': GROUPS[1], streams: 1 },
    ]);
  });

  it('pushes the time range, groups, streams, literals and limit into the SQL', () => {
    const plan = planQuery(`filter @log = "${GROUPS[0]}" and @logStream = "g-1" and @message like "ERROR" | limit 7`, { startMs: T0, endMs: T0 + MIN });
    const scan = logScanSql(store.db, plan);
    expect(scan?.sql).toBe(
      'SELECT time_ms, ingest_ms, group_id, stream, message, fields, trace_id, span_id FROM logs WHERE time_ms >= ? AND time_ms <= ? AND group_id IN (1) AND stream IN (?) AND instr(message, ?) > 0 ORDER BY time_ms DESC LIMIT ?',
    );
    expect(scan?.params).toEqual([T0, T0 + MIN, 'g-1', 'ERROR', 7]);
  });
});

describe('Logs Insights queries that yield while ingest writes', () => {
  /** A clock that moves 1 ms every time it is read, so the scan yields at known points. */
  const ticking = () => {
    let t = 0;
    return { now: () => ++t };
  };
  const batch = (from: number, n: number): LogEntry[] =>
    Array.from({ length: n }, (_, i) => ({ timeMs: T0 + from + i, group: GROUPS[0] as string, stream: 'g-1', message: `INFO aaaa ${from + i}`, severity: 'INFO' }));

  /** Runs a pattern query that may yield every 5 ms, writing a batch through the store each time the event loop gets a turn. */
  async function queryWhileWriting(store: TelemetryStore) {
    store.write({ spans: [], points: [], logs: batch(0, 2000) });
    let writes = 0;
    let writing = true;
    const write = () => {
      if (!writing) return;
      store.write({ spans: [], points: [], logs: batch(10_000 + writes * 10, 10) });
      writes++;
      setImmediate(write);
    };
    setImmediate(write);
    const result = await queryLogs(store.db, { query: 'filter @message like /a+ \\d+$/ | stats count(*) as n', startMs: T0, endMs: T0 + 10 * MIN }, { clock: ticking(), yieldEveryMs: 5, timeoutMs: 60_000 });
    writing = false;
    const stored = (store.db.prepare('SELECT count(*) AS n FROM logs').get() as { n: number }).n;
    return { n: result.rows[0]?.n, writesDuringQuery: writes, stored };
  }

  it('reads a snapshot through its own connection on a database file, so the writes between its slices succeed', async () => {
    // GIVEN a store on a file WHEN a long query yields THEN ingest writes in between, and the query counts its snapshot
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-query-logs-'));
    const store = openTelemetryStore(path.join(dir, 'telemetry.db'), systemClock);
    try {
      const r = await queryWhileWriting(store);
      expect(r.n).toBe(2000);
      expect(r.writesDuringQuery).toBeGreaterThan(10);
      expect(r.stored).toBe(2000 + r.writesDuringQuery * 10);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not yield on an in-memory database, whose only connection the writes need', async () => {
    // GIVEN a store in memory WHEN the same query runs THEN nothing else runs until it answers
    const store = memoryStore();
    try {
      expect(await queryWhileWriting(store)).toEqual({ n: 2000, writesDuringQuery: 0, stored: 2000 });
    } finally {
      store.close();
    }
  });
});
