import { describe, expect, it } from 'vitest';
import { AccessLog, requestIds } from './access-log.js';

const entry = (status: number) => ({ timeMs: 1, environment: 'prod', service: 'web', targetGroup: 'blue', target: '127.0.0.1:1', method: 'GET', url: '/', status, routerMade: false, durationMs: 1, requestId: 'r', traceId: '' });

describe('AccessLog', () => {
  it('reads after a position, in pages, and says how many a slow reader lost', () => {
    const log = new AccessLog(4);
    for (let i = 0; i < 3; i++) log.record(entry(200 + i));
    const first = log.read(0, 2);
    expect([first.entries.map((e) => [e.seq, e.status]), first.next, first.dropped]).toEqual([[[1, 200], [2, 201]], 2, 0]);
    expect(log.read(first.next).entries.map((e) => e.seq)).toEqual([3]);
    expect(log.read(3)).toEqual({ entries: [], next: 3, dropped: 0, startedAtMs: log.startedAtMs });
    // WHEN six more come into a ring of four THEN a reader at 3 gets the last four and lost two
    for (let i = 0; i < 6; i++) log.record(entry(300 + i));
    const behind = log.read(3);
    expect([behind.entries.map((e) => e.seq), behind.next, behind.dropped]).toEqual([[6, 7, 8, 9], 9, 2]);
  });

  it('reads from the start for a position beyond its end (a reader of an earlier router process)', () => {
    const log = new AccessLog(10);
    log.record(entry(200));
    expect(log.read(5000).entries.map((e) => e.seq)).toEqual([1]);
  });

  it('cuts long request targets', () => {
    const log = new AccessLog(2);
    log.record({ ...entry(200), url: `/${'x'.repeat(5000)}` });
    expect(log.read(0).entries[0]!.url).toHaveLength(1024);
  });
});

describe('requestIds', () => {
  it('finds the request id and the trace id whatever the case, and no trace in a malformed traceparent', () => {
    expect(requestIds(['Host', 'a', 'X-Request-Id', 'r1', 'TraceParent', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`])).toEqual({ requestId: 'r1', traceId: 'a'.repeat(32) });
    expect(requestIds(['traceparent', 'garbage'])).toEqual({ requestId: '', traceId: '' });
  });
});
