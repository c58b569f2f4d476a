import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForDeployment, waitForEvent } from '../../test/support/deployment-events.js';
import { InMemoryTrafficTarget, type TargetCall } from '../../test/support/in-memory-traffic-target.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { EventLog, eventMigrations, openDatabase, systemClock, type Db } from '../core/index.js';
import { canary, defineApp, resolveApp, type ResolvedApp } from '../shared/index.js';
import { StaticAlarmSource } from './alarms/alarm-source.js';
import { createDeploymentEngine, type DeploymentEngine } from './engine.js';
import { deploymentMigrations } from './store/migrations.js';

/** `setWeights:{v1:75,v2:25}`, `verifyWeights:{v1:75,v2:25}@3`, `stopRevision:v1`, ... */
const compact = (calls: readonly TargetCall[]) =>
  calls.map((c) => {
    if (c.op === 'setWeights') return `setWeights:${JSON.stringify(c.weights)}`;
    if (c.op === 'verifyWeights') return `verifyWeights:${JSON.stringify(c.verified!.weights)}@${c.verified!.version}`;
    return `${c.op}:${c.revision ?? '-'}${c.desiredCount === undefined ? '' : `x${c.desiredCount}`}`;
  });

/**
 * The engine (reconciler, step actions, deployment service) driving a target
 * that is not the local router: an in-memory one with no processes. It needs
 * nothing but the TrafficTarget interface; analysis metrics are never read
 * when no analysis is configured.
 */
describe('the deployment engine over another TrafficTarget', () => {
  let db: Db;
  let events: EventLog;
  let app: ResolvedApp;
  let target: InMemoryTrafficTarget;
  let alarms: StaticAlarmSource;
  let engine: DeploymentEngine;
  let tmp: { path: string; cleanup: () => void };

  beforeEach(async () => {
    tmp = tempDir();
    fs.mkdirSync(path.join(tmp.path, 'web'));
    app = resolveApp(
      defineApp({
        name: 'flags',
        services: { web: { path: 'web', start: 'node server.js', scaling: { min: 2, max: 2 } } },
        environments: { prod: { ingressPort: 8080, strategy: 'CodeDeployDefault.AllAtOnce', rollbackOn: ['web-5xx'] } },
        alarms: { 'web-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
      }),
    );
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...deploymentMigrations] });
    events = new EventLog(db);
    target = new InMemoryTrafficTarget(app);
    alarms = new StaticAlarmSource();
    await target.startRevision({ environment: 'prod', service: 'web', revision: 'v1', sourceDir: tmp.path });
    target.calls.length = 0;
    engine = createDeploymentEngine({
      app,
      target,
      metrics: { metrics: () => Promise.reject(new Error('no analysis is configured: the engine must not read metrics')) },
      db,
      events,
      clock: systemClock,
      appDir: tmp.path,
      alarms,
      healthDeadlineMs: 5_000,
    });
  });
  afterEach(async () => {
    await engine.close();
    db.close();
    tmp.cleanup();
  });

  it('runs a canary step by step: each setWeights is read back with verifyWeights, then the old revision is stopped', async () => {
    // GIVEN v1 serving all of web WHEN v2 is deployed as a canary of 25, 50, 100 percent
    const d = engine.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy: canary({ steps: [25, 50, 100], interval: '20ms' }) });
    const end = await waitForDeployment(events, d.id, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'], 10_000);
    // THEN it succeeds
    expect(end.type).toBe('deployment.succeeded');
    // AND the target saw exactly: start v2 at v1's size, three shifts each verified, v1 stopped
    expect(compact(target.calls)).toEqual([
      'startRevision:v2x2',
      'setWeights:{"v1":75,"v2":25}',
      'verifyWeights:{"v1":75,"v2":25}@3',
      'setWeights:{"v1":50,"v2":50}',
      'verifyWeights:{"v1":50,"v2":50}@4',
      'setWeights:{"v1":0,"v2":100}',
      'verifyWeights:{"v1":0,"v2":100}@5',
      'stopRevision:v1',
    ]);
    // AND every shift event carries the version the data plane confirmed
    const shifts = events.list({ afterSeq: 0, limit: 100 }).filter((e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted');
    expect(shifts.map((e) => [e.data.to, e.data.routerVersion])).toEqual([
      [{ v1: 75, v2: 25 }, 3],
      [{ v1: 50, v2: 50 }, 4],
      [{ v1: 0, v2: 100 }, 5],
    ]);
    // AND the target now describes v2 alone, with all the traffic
    expect(target.describe('prod', 'web').revisions.map((r) => `${r.revision}:${r.weightPercent}`)).toEqual(['v2:100']);
    expect(engine.service.get(d.id)).toMatchObject({ state: 'Succeeded', weights: { v2: 100 } });
  });

  const rollbacks: { name: string; frozen: boolean; confirmed: boolean }[] = [
    { name: 'a data plane that applies the rollback: confirmed', frozen: false, confirmed: true },
    { name: 'a data plane that still serves the canary split (verify mismatch): recorded unconfirmed, and the rollback goes on', frozen: true, confirmed: false },
  ];
  for (const c of rollbacks) {
    it(`rolls back on an alarm with one setWeights read back by verifyWeights — ${c.name}`, async () => {
      // GIVEN a canary holding at 50% for ten minutes
      const d = engine.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy: canary({ steps: [50, 100], interval: '10m' }) });
      await waitForEvent(events, (e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted', 10_000, 'the 50% shift');
      if (c.frozen) target.freezeDataPlane();
      target.calls.length = 0;
      // WHEN the watched alarm goes to ALARM
      alarms.set('web-5xx', 'ALARM');
      const end = await waitForDeployment(events, d.id, ['deployment.rolled_back', 'deployment.failed'], 10_000);
      // THEN all traffic goes back to v1 in one shift, read back once, and v2 is stopped
      expect(end.type).toBe('deployment.rolled_back');
      expect(compact(target.calls)).toEqual([
        'setWeights:{"v1":100}',
        c.frozen ? 'verifyWeights:{"v1":50,"v2":50}@3' : 'verifyWeights:{"v1":100,"v2":0}@4',
        'stopRevision:v2',
      ]);
      // AND the rollback's shift event says whether the data plane confirmed it
      const shift = events.list({ afterSeq: 0, limit: 100 }).filter((e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted').at(-1)!;
      expect(shift.data).toMatchObject({ confirmed: c.confirmed, to: { v1: 100 } });
      expect(engine.service.get(d.id)).toMatchObject({ state: 'RolledBack', rollback: { trigger: 'alarm' } });
    });
  }

  it('rolls back a new revision that keeps crashing, without shifting traffic to it', async () => {
    // GIVEN a canary whose new revision crash-loops as soon as it is started
    target.crashWhenStarted('v2', 3);
    // WHEN it is deployed
    const d = engine.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy: canary({ steps: [50, 100], interval: '10m' }) });
    const end = await waitForDeployment(events, d.id, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed'], 10_000);
    // THEN it rolls back on health, v1 keeps all traffic and v2 is gone
    expect(end.type).toBe('deployment.rolled_back');
    expect(engine.service.get(d.id).rollback).toMatchObject({ trigger: 'health' });
    expect(target.calls.filter((x) => x.op === 'setWeights').map((x) => x.weights)).toEqual([{ v1: 100 }]);
    expect(target.describe('prod', 'web').revisions.map((r) => `${r.revision}:${r.weightPercent}`)).toEqual(['v1:100']);
  });
});
