import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/index.js';
import { otlpServiceTypes } from '../otlp/index.js';
import type { OtlpDecodeJob } from './otlp-decode-job.js';
import { OtlpDecodePool } from './otlp-decode-pool.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

function logsJob(records: number): OtlpDecodeJob {
  const { request } = otlpServiceTypes('logs');
  const logRecords = Array.from({ length: records }, (_, i) => ({ timeUnixNano: ns(NOW - i), severityText: 'INFO', body: { stringValue: `line ${i}` } }));
  const body = Buffer.from(request.encode(request.fromObject({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gw' } }] }, scopeLogs: [{ logRecords }] }] })).finish());
  return { signal: 'logs', body, contentType: 'application/x-protobuf', nowMs: NOW, limits: {} };
}

const pools: OtlpDecodePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

describe('OtlpDecodePool', () => {
  it('decodes in a worker to log rows, and refuses past its request and byte bounds', async () => {
    // GIVEN a pool of one worker with room for two requests and 1 MiB
    const pool = new OtlpDecodePool({ size: 1, maxQueuedJobs: 2, maxQueuedBytes: 1024 * 1024, logger: silentLogger });
    pools.push(pool);
    // WHEN two requests are queued, THEN a third is refused, and the stats say what is held
    const small = logsJob(3);
    const first = pool.tryRun(small);
    const second = pool.tryRun(small);
    expect([first !== undefined, second !== undefined, pool.tryRun(small), pool.full]).toEqual([true, true, undefined, true]);
    expect(pool.stats()).toEqual({ workers: 1, queuedJobs: 2, queuedBytes: 2 * small.body.byteLength });
    const out = await first;
    expect(out).toEqual({ ok: true, signal: 'logs', accepted: 3, rejected: 0, rows: [
      [NOW, '/slipway/default/gw', 'gw', 'INFO', 'line 0', null, null, '{"severity":"INFO"}'],
      [NOW - 1, '/slipway/default/gw', 'gw', 'INFO', 'line 1', null, null, '{"severity":"INFO"}'],
      [NOW - 2, '/slipway/default/gw', 'gw', 'INFO', 'line 2', null, null, '{"severity":"INFO"}'],
    ] });
    await second;
    expect(pool.stats()).toEqual({ workers: 1, queuedJobs: 0, queuedBytes: 0 });
    // AND with one request held, one that would pass the byte bound is refused
    const big = logsJob(40_000);
    expect(big.body.byteLength).toBeGreaterThan(512 * 1024);
    const held = pool.tryRun(big);
    expect([held !== undefined, pool.tryRun(big)]).toEqual([true, undefined]);
    await held;
  }, 60_000);

  it('answers what is still queued when it closes, and refuses afterwards', async () => {
    const pool = new OtlpDecodePool({ size: 1, maxQueuedJobs: 8, logger: silentLogger });
    const pending = [pool.tryRun(logsJob(20_000)), pool.tryRun(logsJob(20_000)), pool.tryRun(logsJob(20_000))];
    await pool.close();
    const outs = await Promise.all(pending);
    // Each is either decoded or refused as a retryable 503: none is left unanswered.
    for (const o of outs) expect(o?.ok === true || (o?.ok === false && o.status === 503)).toBe(true);
    expect(outs.some((o) => o?.ok === false)).toBe(true);
    expect(pool.tryRun(logsJob(1))).toBeUndefined();
  }, 60_000);
});
