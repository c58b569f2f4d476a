import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

interface ScaledData {
  from: number;
  to: number;
  metric: string;
  measured: number | null;
  target: number;
  reason: string;
  cause?: string;
  alarm?: string;
  schedule?: string;
}

const HEALTH = { path: '/healthz', interval: '200ms', timeout: '150ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };

/** An app of one queue worker (test/fixtures/queue-worker.mjs) over the queue folder `queue`, with the scaling and alarms given. */
function writeApp(dir: string, scaling: Record<string, unknown>, alarms: Record<string, unknown> = {}): { configFile: string; queue: string } {
  const queue = path.join(dir, 'queue');
  fs.mkdirSync(queue);
  fs.writeFileSync(path.join(queue, 'backlog'), '0');
  const configFile = path.join(dir, 'slipway.config.json');
  const app = {
    name: 'scaled',
    services: { worker: { path: FIXTURES, start: 'node queue-worker.mjs', env: { QUEUE_DIR: queue }, health: HEALTH, scaling } },
    environments: { local: { ingressPort: 0 } },
    alarms,
  };
  fs.writeFileSync(configFile, JSON.stringify(app, null, 2));
  return { configFile, queue };
}

const scaled = (cp: ControlPlane): ScaledData[] => cp.events.list({ type: 'service.scaled', limit: 1000 }).map((e: SlipwayEvent) => e.data as unknown as ScaledData);
const live = (cp: ControlPlane) => cp.runtime!.supervisor.listTasks({ service: 'worker', states: ['Starting', 'Healthy', 'Unhealthy', 'Stopping'] });
const healthy = (cp: ControlPlane) => cp.runtime!.supervisor.listTasks({ service: 'worker', states: ['Healthy'] });

describe('autoscaling through the control plane', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(configFile: string, dir: string): Promise<ControlPlane> {
    const cp = await startControlPlane({ dataDir: path.join(dir, 'data'), port: 0, configFile, drainMs: 50, otlpPort: 0, xrayPort: null, autoscaling: { intervalMs: 250 } });
    cleanups.push(() => cp.close({ stopTasks: true }));
    await waitFor('the worker healthy', () => (healthy(cp).length >= 1 ? true : undefined), 20_000);
    return cp;
  }

  it('runs a scheduled action at its time: the range rises and tasks are added then, not before', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN a worker at 1 task (1..2) whose range becomes 3..4 at a time 8 seconds from now (at(), in UTC)
    const atMs = Math.ceil((Date.now() + 8000) / 1000) * 1000;
    const at = new Date(atMs).toISOString().slice(0, 19);
    const { configFile } = writeApp(tmp.path, { min: 1, max: 2, schedules: [{ name: 'launch', schedule: `at(${at})`, timezone: 'UTC', minTasks: 3, maxTasks: 4 }] });
    const cp = await start(configFile, tmp.path);
    expect(Date.now()).toBeLessThan(atMs);
    expect(scaled(cp)).toEqual([]);

    // WHEN the time comes THEN the range changes and the worker scales out to 3, not before the scheduled second
    const out = await waitFor('a scheduled scale-out', () => scaled(cp).find((s) => s.cause === 'schedule'), 20_000);
    expect(out).toMatchObject({ from: 1, to: 3, metric: 'ScheduledAction', target: 3, schedule: 'launch' });
    const [range] = cp.events.list({ type: 'service.scaling.range.changed' });
    expect(range?.data).toEqual({ environment: 'local', service: 'worker', schedule: 'launch', scheduledAtMs: atMs, minTasks: 3, maxTasks: 4 });
    const scaledAt = cp.events.list({ type: 'service.scaled' })[0]!.timeMs;
    expect(scaledAt).toBeGreaterThanOrEqual(atMs);
    expect(scaledAt - atMs).toBeLessThan(5000);
    await waitFor('3 workers healthy', () => (healthy(cp).length === 3 ? true : undefined), 20_000);
  });

  it('adds tasks from a step-scaling alarm action when the alarm fires from telemetry, step by step, within the maximum', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN a worker at 1 task (1..4) and an alarm on its backlog (Maximum > 50 over 1 s) that adds 1 task for a breach
    // under 100 and 2 from 100 on, at most once every 1.5 s
    const { configFile, queue } = writeApp(
      tmp.path,
      { min: 1, max: 4 },
      {
        'worker-backlog': {
          metric: 'queue.backlog',
          service: 'worker',
          stat: 'Maximum',
          period: '1s',
          threshold: 50,
          actions: [{ type: 'scale', service: 'worker', adjustments: [{ lowerBound: 0, upperBound: 100, change: 1 }, { lowerBound: 100, change: 2 }], cooldown: '1500ms' }],
        },
      },
    );
    const cp = await start(configFile, tmp.path);
    await waitFor('the alarm OK on a backlog of 0', () => (cp.delivery?.alarms.state('worker-backlog') === 'OK' ? true : undefined), 20_000);
    expect(scaled(cp)).toEqual([]);

    // WHEN the backlog reaches 200 (150 over the threshold)
    fs.writeFileSync(path.join(queue, 'backlog'), '200');
    // THEN the alarm fires from the workers' own gauges and its action adds 2 tasks, then (still in ALARM, after the cooldown) up to the maximum of 4
    const first = await waitFor('a scale-out by the alarm', () => scaled(cp).find((s) => s.cause === 'alarm'), 20_000);
    expect(cp.delivery!.alarms.state('worker-backlog')).toBe('ALARM');
    expect(first).toMatchObject({ from: 1, to: 3, alarm: 'worker-backlog', metric: 'queue.backlog', measured: 200, target: 50 });
    expect(first.reason).toBe('alarm worker-backlog in ALARM: 200 is 150 from the threshold, in step [100, ∞): +2');
    const second = await waitFor('a second step', () => scaled(cp).filter((s) => s.cause === 'alarm')[1], 20_000);
    expect(second).toMatchObject({ from: 3, to: 4 });
    expect(second.reason).toContain('(kept within 1..4)');
    await waitFor('4 workers healthy', () => (healthy(cp).length === 4 ? true : undefined), 20_000);
    // AND at the maximum it adds no more
    const events = cp.events.list({ type: 'service.scaled' });
    expect(events[1]!.timeMs - events[0]!.timeMs).toBeGreaterThanOrEqual(1500);
    expect(scaled(cp).filter((s) => s.cause === 'alarm')).toHaveLength(2);
  });

  it('tracks a custom metric (the backlog per worker, reported over OTLP) and converges to the count that keeps it at target', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN a worker (1..5) tracking queue.backlog.per_worker at 100 over 1 s periods, and a backlog of 300; the scale-out
    // cooldown (5 s) lets new workers report before the metric is trusted again, as on AWS
    const { configFile, queue } = writeApp(tmp.path, {
      min: 1,
      max: 5,
      targets: [{ metric: 'queue.backlog.per_worker', stat: 'Average', period: '1s', target: 100 }],
      scaleOutCooldown: '5s',
      scaleInCooldown: '2s',
    });
    fs.writeFileSync(path.join(queue, 'backlog'), '300');
    const cp = await start(configFile, tmp.path);

    // WHEN the workers report THEN it scales out on the metric to 3 workers (300 / 3 = 100, at target)
    const out = await waitFor('a scale-out on the custom metric', () => scaled(cp).find((s) => s.to > s.from), 20_000);
    expect(out).toMatchObject({ from: 1, to: 3, metric: 'queue.backlog.per_worker', measured: 300, target: 100, cause: 'target-tracking' });
    await waitFor('3 workers healthy', () => (healthy(cp).length === 3 ? true : undefined), 20_000);
    // AND it stays there: measured at target, nothing more for several evaluation rounds (past the cooldown: a
    // quiet period is what is asserted, so this waits a fixed time)
    const settledAt = scaled(cp).length;
    await new Promise((r) => setTimeout(r, 6000));
    expect(scaled(cp).slice(settledAt)).toEqual([]);
    expect(live(cp)).toHaveLength(3);

    // WHEN the backlog falls to 80 THEN it scales back in to 1 (80 per worker keeps the 10 % scale-in margin), after its cooldown
    fs.writeFileSync(path.join(queue, 'backlog'), '80');
    const back = await waitFor('a scale-in to 1', () => scaled(cp).find((s) => s.to === 1 && s.from > 1), 20_000);
    expect(back).toMatchObject({ metric: 'queue.backlog.per_worker', target: 100, cause: 'target-tracking' });
    expect(back.measured).toBeLessThan(100);
    await waitFor('1 worker left', () => (live(cp).length === 1 ? true : undefined), 20_000);
  });
});
