import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger, systemClock } from '../../core/index.js';
import type { MetricPoint } from '../model/index.js';
import { IngestQueue } from './ingest-queue.js';
import { deleteExpired, startBackgroundLoop } from './retention.js';
import { memoryStore, span } from './test-fixtures/make.js';
import { openTelemetryStore, type IngestBatch } from './telemetry-store.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 10);

const point = (timeMs: number): MetricPoint => ({ name: 'm', unit: '', description: '', kind: 'Gauge', service: 's', resource: {}, attributes: {}, timeMs, value: 1 });
const count = (store: ReturnType<typeof memoryStore>, table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('retention', () => {
  it.each([
    { policy: {}, left: { spans: 1, metric_points: 1, logs: 1 } },
    { policy: { spansMs: 20 * DAY, metricsMs: 9 * DAY, logsMs: DAY / 2 }, left: { spans: 2, metric_points: 2, logs: 0 } },
  ])('deletes rows older than $policy', ({ policy, left }) => {
    // GIVEN one row of each signal 1 day old and one 8 days old
    const store = memoryStore();
    store.write({
      spans: [span({ trace: '1', id: '1', service: 's', name: 'a', startMs: NOW - DAY, endMs: NOW - DAY + 5 }), span({ trace: '2', id: '2', service: 's', name: 'b', startMs: NOW - 8 * DAY, endMs: NOW - 8 * DAY + 5 })],
      points: [point(NOW - DAY), point(NOW - 8 * DAY)],
      logs: [{ timeMs: NOW - DAY, group: 'g', stream: 's', message: 'new', severity: '' }, { timeMs: NOW - 8 * DAY, group: 'g', stream: 's2', message: 'old', severity: '' }],
    });
    // WHEN retention runs (in chunks of one row)
    const deleted = deleteExpired(store.db, policy, NOW, 1);
    // THEN what is older than the policy is gone, and nothing else
    expect({ spans: count(store, 'spans'), metric_points: count(store, 'metric_points'), logs: count(store, 'logs') }).toEqual(left);
    expect(deleted).toMatchObject({ spans: 2 - left.spans, points: 2 - left.metric_points, logs: 2 - left.logs });
    store.close();
  });

  it('keeps each log group with its own retention by that, and the others by the store\'s', () => {
    // GIVEN three groups with a line 2 days old and one 10 days old each
    const store = memoryStore();
    const lines = (group: string) => [
      { timeMs: NOW - 2 * DAY, group, stream: 's', message: `${group} recent`, severity: '' },
      { timeMs: NOW - 10 * DAY, group, stream: 'old', message: `${group} old`, severity: '' },
    ];
    store.write({ spans: [], points: [], logs: [...lines('/slipway/production/router'), ...lines('/audit'), ...lines('/slipway/production/web')] });
    // WHEN the router's group keeps a day, the audit group thirty, the rest the default seven
    const deleted = deleteExpired(store.db, { logGroupsMs: { '/slipway/production/router': DAY, '/audit': 30 * DAY, '/never-written': DAY } }, NOW, 1);
    // THEN the router lost both lines, the audit group none, the service its old one
    const left = store.db.prepare<[], { message: string }>('SELECT message FROM logs ORDER BY message').all().map((r) => r.message);
    expect(left).toEqual(['/audit old', '/audit recent', '/slipway/production/web recent']);
    expect(deleted.logs).toBe(3);
    // AND the streams with nothing left are forgotten
    const streams = store.db.prepare<[], { name: string; g: string }>('SELECT s.name, g.name AS g FROM log_streams s JOIN log_groups g ON g.id = s.group_id ORDER BY g.name, s.name').all();
    expect(streams.map((s) => `${s.g}:${s.name}`)).toEqual(['/audit:old', '/audit:s', '/slipway/production/web:s']);
    store.close();
  });

  it('gives the deleted rows\' pages back to the file system in a store created for it', () => {
    // GIVEN a telemetry file with 5 000 old log lines
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-retention-'));
    const store = openTelemetryStore(path.join(dir, 'telemetry.db'), systemClock);
    try {
      const old = Array.from({ length: 5000 }, (_, i) => ({ timeMs: NOW - 10 * DAY, group: 'g', stream: 's', message: `line ${i} ${'x'.repeat(200)}`, severity: '' }));
      store.write({ spans: [], points: [], logs: old });
      const pages = () => Number(store.db.pragma('page_count', { simple: true }));
      const before = pages();
      // WHEN retention deletes them
      const r = deleteExpired(store.db, {}, NOW);
      // THEN the file has fewer pages, as many fewer as were freed
      expect(r.logs).toBe(5000);
      expect(r.pagesFreed).toBeGreaterThan(100);
      expect(pages()).toBe(before - r.pagesFreed);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps looping when a tick throws', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const logger = { ...silentLogger, error: (_m: string, f?: Record<string, unknown>) => errors.push(f?.err) };
    let ticks = 0;
    const loop = startBackgroundLoop(() => {
      ticks++;
      throw new Error('disk full');
    }, 1000, logger);
    vi.advanceTimersByTime(3000);
    loop.stop();
    vi.useRealTimers();
    expect([ticks, errors.length]).toEqual([3, 3]);
  });
});

describe('IngestQueue', () => {
  const sizes = (batches: IngestBatch[]) => batches.map((b) => [b.spans.length, b.points.length, b.logs.length]);

  it('writes one transaction per full batch and the rest on forceFlush', async () => {
    const batches: IngestBatch[] = [];
    const q = new IngestQueue((b) => batches.push(b), { maxBatchItems: 3, flushDelayMs: 60_000, logger: silentLogger });
    q.enqueuePoints([point(1), point(2)]);
    q.enqueuePoints([point(3)]);
    q.enqueuePoints([point(4)]);
    expect(sizes(batches)).toEqual([[0, 3, 0]]);
    await q.forceFlush();
    expect(sizes(batches)).toEqual([[0, 3, 0], [0, 1, 0]]);
    expect(q.stats()).toEqual({ batchesWritten: 2, itemsWritten: 4, itemsDropped: 0, pending: 0 });
  });

  it('writes after the delay', () => {
    vi.useFakeTimers();
    const batches: IngestBatch[] = [];
    const q = new IngestQueue((b) => batches.push(b), { maxBatchItems: 100, flushDelayMs: 200, logger: silentLogger });
    q.enqueuePoints([point(1)]);
    vi.advanceTimersByTime(199);
    expect(batches.length).toBe(0);
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    expect(sizes(batches)).toEqual([[0, 1, 0]]);
  });

  it('counts a failed write as dropped and never throws', async () => {
    const q = new IngestQueue(() => {
      throw new Error('SQLITE_FULL');
    }, { maxBatchItems: 1, logger: silentLogger });
    expect(() => q.enqueuePoints([point(1)])).not.toThrow();
    await q.shutdown();
    q.enqueuePoints([point(2)]);
    expect(q.stats()).toEqual({ batchesWritten: 0, itemsWritten: 0, itemsDropped: 2, pending: 0 });
  });
});
