import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../core/index.js';
import { parseTaskSetSpec } from '../task-set-spec.js';
import type { ScalingSpec, Task, TaskFilter, TaskSetKey } from '../model.js';
import type { ProcStat } from '../process/proc-stat.js';
import type { TaskSetStatus } from '../supervisor/supervisor.js';
import { createAutoscaler, type MetricQuerySource, type ScalableTaskSets } from './autoscaler.js';
import { runtimeMigrations } from '../store/migrations.js';
import { sqliteScalingState } from '../store/scaling-state-store.js';
import type { ResolvedScaleAction } from '../../shared/index.js';
import { CpuSampler } from './cpu-sampler.js';

/** A supervisor stand-in: sets with counts, Healthy tasks with pgid = 100 + index. */
class FakeSets implements ScalableTaskSets {
  sets: TaskSetStatus[] = [];
  scaled: [TaskSetKey, number][] = [];
  add(scaling: ScalingSpec | undefined, desiredCount: number): void {
    const health = { path: '/', intervalMs: 2000, timeoutMs: 1000, healthyThreshold: 1, unhealthyThreshold: 3, gracePeriodMs: 0 };
    const spec = parseTaskSetSpec({ environment: 'prod', service: 'api', revision: 'r1', command: 'x', cwd: '/', env: {}, desiredCount, portEnv: 'PORT', health, drainMs: 0, stopTimeoutMs: 0, ...(scaling ? { scaling } : {}) });
    this.sets.push({ environment: 'prod', service: 'api', revision: 'r1', spec, desiredCount, runningCount: desiredCount, healthyCount: desiredCount, failureStreak: 0, nextStartAtMs: 0, lastScaleOutMs: null, lastScaleInMs: null });
  }
  listTaskSets(): TaskSetStatus[] {
    return this.sets;
  }
  listTasks(_filter?: TaskFilter): Task[] {
    const n = this.sets[0]?.desiredCount ?? 0;
    return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, pgid: 100 + i }) as Task);
  }
  async scaleTaskSet(key: TaskSetKey, desiredCount: number): Promise<void> {
    this.scaled.push([key, desiredCount]);
    const s = this.sets[0]!;
    this.sets[0] = { ...s, desiredCount, lastScaleOutMs: desiredCount > s.desiredCount ? 0 : s.lastScaleOutMs };
  }
}

describe('Autoscaler', () => {
  let db: Db;
  let events: EventLog;
  let clock: ManualClock;
  let fake: FakeSets;
  let cpuTicks: Map<number, number>;
  const reader = (pgid: number): ProcStat[] => {
    const t = cpuTicks.get(pgid);
    return t === undefined ? [] : [{ pid: pgid, state: 'S', pgrp: pgid, utimeTicks: t, stimeTicks: 0, startTicks: 1 }];
  };

  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: eventMigrations });
    clock = new ManualClock(1_000_000);
    events = new EventLog(db, { clock });
    fake = new FakeSets();
    cpuTicks = new Map();
  });
  afterEach(() => db.close());

  it('scales out on CPU measured from /proc deltas and records service.scaled', async () => {
    // GIVEN 2 tasks at 90% of a core against a 60% target
    fake.add({ min: 1, max: 4, targetCpuPercent: 60, scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 }, 2);
    const scaler = createAutoscaler({ supervisor: fake, events, clock, cpuSampler: new CpuSampler(reader) });
    cpuTicks.set(100, 0).set(101, 0);
    await scaler.tick(); // baseline only
    expect(fake.scaled).toEqual([]);
    clock.advance(10_000);
    cpuTicks.set(100, 900).set(101, 900); // 9 s of CPU in 10 s each
    // WHEN it ticks
    await scaler.tick();
    // THEN the set goes to ceil(2 * 90 / 60) = 3 and the event says why
    expect(fake.scaled).toEqual([[{ environment: 'prod', service: 'api', revision: 'r1' }, 3]]);
    expect(events.list({ type: 'service.scaled' }).map((e) => [e.subject, e.data])).toEqual([
      ['service/prod/api', { environment: 'prod', service: 'api', revision: 'r1', from: 2, to: 3, metric: 'CPUUtilization', measured: 90, target: 60, reason: 'scale out: 90 against a target of 60', cause: 'target-tracking' }],
    ]);
  });

  it('counts requests per healthy task per minute over its window, takes the larger of two metrics, and leaves unscaled sets alone', async () => {
    fake.add({ min: 1, max: 10, targetCpuPercent: 50, targetRequestsPerTask: 100, scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 }, 2);
    const windows: [TaskSetKey, { startMs: number; endMs: number }][] = [];
    const requestCount = (set: TaskSetKey, w: { startMs: number; endMs: number }) => (windows.push([set, w]), 125);
    const scaler = createAutoscaler({ supervisor: fake, events, clock, cpuSampler: new CpuSampler(reader), requestCount, requestWindowMs: 15_000 });
    // GIVEN no CPU data yet, and 125 requests in the last 15 s to 2 healthy tasks: 62.5 per task per 15 s = 250 a minute, against 100
    // WHEN it ticks THEN ceil(2 * 2.5) = 5
    await scaler.tick();
    expect(windows).toEqual([[{ environment: 'prod', service: 'api', revision: 'r1' }, { startMs: 1_000_000 - 15_000, endMs: 1_000_000 }]]);
    expect(fake.scaled.map(([, n]) => n)).toEqual([5]);
    expect(events.list({ type: 'service.scaled' })[0]?.data).toMatchObject({ metric: 'RequestCountPerTarget', measured: 250, target: 100, from: 2, to: 5 });

    const other = new FakeSets();
    other.add(undefined, 2);
    await createAutoscaler({ supervisor: other, events, clock, requestCount: () => 1000 }).tick();
    expect(other.scaled).toEqual([]);
  });

  it('scales in on requests once the load is gone, after the scale-in cooldown', async () => {
    // GIVEN 4 tasks, a 60 s window (the default), and no request for a while
    fake.add({ min: 1, max: 10, targetRequestsPerTask: 100, scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 }, 4);
    fake.sets[0] = { ...fake.sets[0]!, lastScaleOutMs: clock.now() };
    const scaler = createAutoscaler({ supervisor: fake, events, clock, requestCount: () => 0 });
    // WHEN it ticks within the cooldown THEN nothing; after it THEN down to the minimum
    await scaler.tick();
    expect(fake.scaled).toEqual([]);
    clock.advance(60_000);
    await scaler.tick();
    expect(fake.scaled.map(([, n]) => n)).toEqual([1]);
    expect(events.list({ type: 'service.scaled' })[0]?.data).toMatchObject({ metric: 'RequestCountPerTarget', measured: 0, from: 4, to: 1, reason: 'scale in: 0 against a target of 100' });
  });

  it('changes nothing without a measurement and reports a failing supervisor as an event', async () => {
    fake.add({ min: 1, max: 10, targetRequestsPerTask: 100, scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 }, 2);
    await createAutoscaler({ supervisor: fake, events, clock, requestCount: () => undefined }).tick();
    await createAutoscaler({ supervisor: fake, events, clock }).tick();
    expect(fake.scaled).toEqual([]);
    fake.scaleTaskSet = () => Promise.reject(new Error('database is locked'));
    await createAutoscaler({ supervisor: fake, events, clock, requestCount: () => 500 }).tick();
    expect(events.list({ type: 'service.scaling' }).map((e) => e.data)).toEqual([{ environment: 'prod', service: 'api', revision: 'r1', error: 'database is locked' }]);
  });

  const base = { scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 };

  it('runs a scheduled action at its time: the range changes, the set follows, and a restarted autoscaler remembers it', async () => {
    // GIVEN 1 task of a service whose range becomes 3..6 at 09:00 Paris time on weekdays, the clock at 07:59 UTC on a Friday
    const sdb = openDatabase(':memory:', { migrations: runtimeMigrations });
    clock.set(Date.parse('2026-12-04T07:59:00Z'));
    fake.add({ min: 1, max: 2, ...base, schedules: [{ name: 'office-hours', schedule: 'cron(0 9 ? * MON-FRI *)', timezone: 'Europe/Paris', minTasks: 3, maxTasks: 6 }] }, 1);
    const scaler = createAutoscaler({ supervisor: fake, events, clock, state: sqliteScalingState(sdb) });
    await scaler.tick();
    expect(fake.scaled).toEqual([]);
    // WHEN 08:00 UTC (09:00 in Paris) has passed
    clock.set(Date.parse('2026-12-04T08:00:05Z'));
    await scaler.tick();
    // THEN the range is 3..6 and the set scales out to 3, both recorded
    expect(fake.scaled.map(([, n]) => n)).toEqual([3]);
    expect(events.list({ type: 'service.scaling.range.changed' }).map((e) => e.data)).toEqual([
      { environment: 'prod', service: 'api', schedule: 'office-hours', scheduledAtMs: Date.parse('2026-12-04T08:00:00Z'), minTasks: 3, maxTasks: 6 },
    ]);
    expect(events.list({ type: 'service.scaled' }).map((e) => e.data)).toEqual([
      { environment: 'prod', service: 'api', revision: 'r1', from: 1, to: 3, metric: 'ScheduledAction', measured: null, target: 3, reason: 'scheduled action office-hours: below the minimum of 3', cause: 'schedule', schedule: 'office-hours' },
    ]);
    // AND a new autoscaler on the same store keeps the scheduled range (the model's max of 2 would scale in)
    await createAutoscaler({ supervisor: fake, events, clock, state: sqliteScalingState(sdb) }).tick();
    expect(fake.scaled.map(([, n]) => n)).toEqual([3]);
    sdb.close();
  });

  it('tracks a custom metric query over its last full period', async () => {
    // GIVEN 2 tasks tracking queue depth at 10, which reads 35 in the last full 10 s period
    fake.add({ min: 1, max: 10, ...base, targets: [{ label: 'queue.depth', query: { metrics: { m1: { metric: 'queue.depth', dimensions: { service: 'api' }, stat: 'Maximum' } } }, periodMs: 10_000, target: 10 }] }, 2);
    const asked: Parameters<MetricQuerySource>[] = [];
    const metricQuery: MetricQuerySource = (q, w) => (asked.push([q, w]), [50, 35]);
    clock.set(1_000_005_000);
    // WHEN it ticks THEN ceil(2 * 35 / 10) = 7, read over the two full periods before now
    await createAutoscaler({ supervisor: fake, events, clock, metricQuery }).tick();
    expect(asked[0]?.[1]).toEqual({ startMs: 999_980_000, endMs: 1_000_000_000, periodMs: 10_000 });
    expect(fake.scaled.map(([, n]) => n)).toEqual([7]);
    expect(events.list({ type: 'service.scaled' })[0]?.data).toMatchObject({ metric: 'queue.depth', measured: 35, target: 10, cause: 'target-tracking' });
  });

  it('runs an alarm scale action: the step the breach falls in, within the range, once per cooldown', async () => {
    // GIVEN 2 tasks (1..5) and a step policy: +1 for a breach of [0, 10), +3 from 10 on, cooldown 60 s
    fake.add({ min: 1, max: 5, ...base, scaledByAlarms: ['busy'] }, 2);
    const action: ResolvedScaleAction = { type: 'scale', service: 'api', environment: undefined, adjustmentType: 'ChangeInCapacity', steps: [{ lowerBound: 0, upperBound: 10, adjustment: 1 }, { lowerBound: 10, upperBound: undefined, adjustment: 3 }], cooldownMs: 60_000, minAdjustmentMagnitude: undefined };
    const scaler = createAutoscaler({ supervisor: fake, events, clock });
    const run = (value: number) => scaler.runAlarmAction({ alarm: 'busy', index: 0, action, alarmEnvironment: 'prod', value, threshold: 100, metric: 'queue.depth' });
    // WHEN the metric is 112 (12 over) THEN +3 → 5
    await run(112);
    expect(fake.scaled.map(([, n]) => n)).toEqual([5]);
    expect(events.list({ type: 'service.scaled' })[0]?.data).toMatchObject({ from: 2, to: 5, cause: 'alarm', alarm: 'busy', measured: 112, target: 100, reason: 'alarm busy in ALARM: 112 is 12 from the threshold, in step [10, ∞): +3' });
    // WHEN it runs again within the cooldown, or later when already at the max THEN nothing more
    fake.sets[0] = { ...fake.sets[0]!, desiredCount: 3 };
    clock.advance(30_000);
    await run(105);
    expect(fake.scaled.map(([, n]) => n)).toEqual([5]);
    clock.advance(31_000);
    await run(105);
    expect(fake.scaled.map(([, n]) => n)).toEqual([5, 4]);
    // AND the set with neither targets nor schedules keeps its count on a plain tick
    await scaler.tick();
    expect(fake.scaled.map(([, n]) => n)).toEqual([5, 4]);
  });
});
