import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForDeployment } from '../../test/support/deployment-events.js';
import { InMemoryTrafficTarget } from '../../test/support/in-memory-traffic-target.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { EventLog, eventMigrations, openDatabase, systemClock, type Db } from '../core/index.js';
import { InputError, NotFoundError, canary, defineApp, resolveApp, type ResolvedApp, type ShadowReportDto } from '../shared/index.js';
import { StaticAlarmSource } from './alarms/alarm-source.js';
import { createDeploymentEngine, type DeploymentEngine } from './engine.js';
import { deploymentMigrations } from './store/migrations.js';
import type { ShadowRequest, ShadowTarget } from './target/shadow-target.js';

/** A data plane that mirrors nothing: it records the calls and answers the report it is given. */
class FakeShadowTarget implements ShadowTarget {
  readonly calls: string[] = [];
  report: ((id: string) => ShadowReportDto) | undefined;
  startShadow(r: ShadowRequest): Promise<void> {
    this.calls.push(`start:${r.revision}:${r.id}:${r.shadow.percent}%`);
    return Promise.resolve();
  }
  stopShadow(environment: string, service: string): Promise<void> {
    this.calls.push(`stop:${environment}/${service}`);
    return Promise.resolve();
  }
  shadowReport(id: string): Promise<ShadowReportDto> {
    this.calls.push(`report:${id}`);
    return this.report === undefined ? Promise.reject(new NotFoundError('SLW_ERR_ROUTER_SHADOW_NOT_FOUND', `no shadow comparison ${id}`)) : Promise.resolve(this.report(id));
  }
}

const report = (id: string, compared: number, differing: number): ShadowReportDto => ({
  id,
  environment: 'prod',
  service: 'web',
  revision: 'v2',
  startedAtMs: 0,
  updatedAtMs: 0,
  mirrored: compared,
  compared,
  differing,
  shadowErrors: 0,
  skipped: { method: 0, bodyTooLarge: 0, concurrency: 0, primaryFailed: 0, noTarget: 0 },
  statusPairs: differing > 0 ? { '200→500': differing } : {},
  fields: differing > 0 ? { status: differing } : {},
  latency: { primaryP50Ms: 1, primaryP99Ms: 2, shadowP50Ms: 1, shadowP99Ms: 2, p99Ratio: 1 },
  samples: [],
});

/** The engine's shadow step over a target that is not the local router, with no processes. */
describe('the shadow step of the deployment engine', () => {
  let db: Db;
  let events: EventLog;
  let app: ResolvedApp;
  let target: InMemoryTrafficTarget;
  let shadow: FakeShadowTarget;
  let tmp: { path: string; cleanup: () => void };
  const engines: DeploymentEngine[] = [];
  const engine = (withShadow = true) => {
    const e = createDeploymentEngine({
      app,
      target,
      metrics: { metrics: () => Promise.reject(new Error('no analysis is configured')) },
      db,
      events,
      clock: systemClock,
      appDir: tmp.path,
      alarms: new StaticAlarmSource(),
      ...(withShadow ? { shadow } : {}),
    });
    engines.push(e);
    return e;
  };
  const strategy = canary({ steps: [50, 100], interval: '10ms', shadow: { percent: 30, duration: '30ms', minRequests: 10, maxDiffPercent: 5 } });

  beforeEach(async () => {
    tmp = tempDir();
    fs.mkdirSync(path.join(tmp.path, 'web'));
    app = resolveApp(defineApp({ name: 'shop', services: { web: { path: 'web', start: 'node server.js', scaling: { min: 1, max: 1 } } }, environments: { prod: { ingressPort: 8080 } } }));
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...deploymentMigrations] });
    events = new EventLog(db);
    target = new InMemoryTrafficTarget(app);
    shadow = new FakeShadowTarget();
    await target.startRevision({ environment: 'prod', service: 'web', revision: 'v1', sourceDir: tmp.path });
    target.calls.length = 0;
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
    db.close();
    tmp.cleanup();
  });

  it('GIVEN an engine without a ShadowTarget WHEN a shadow strategy is asked for THEN 400 SLW_ERR_DEPLOY_SHADOW_UNSUPPORTED and nothing starts', () => {
    const e = engine(false);
    const err = (() => {
      try {
        e.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy });
      } catch (x) {
        return x;
      }
    })();
    expect([err instanceof InputError, (err as InputError).code]).toEqual([true, 'SLW_ERR_DEPLOY_SHADOW_UNSUPPORTED']);
    expect(target.calls).toEqual([]);
  });

  it('GIVEN too few compared answers THEN the deployment pauses (Inconclusive, no traffic moved); resume accepts the step and the rollout goes on', async () => {
    const e = engine();
    shadow.report = (id) => report(id, 3, 0);
    const d = e.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy });
    await waitForDeployment(events, d.id, ['deployment.paused'], 5000);
    const paused = e.service.get(d.id);
    expect([paused.state, paused.pausedBy, paused.shadowRuns?.[0]?.verdict]).toEqual(['Paused', 'analysis', 'Inconclusive']);
    expect(paused.pausedReason).toContain('3 answers compared, fewer than the 10 needed');
    // The copies stopped before the verdict, and no weight moved.
    expect(shadow.calls).toEqual([`start:v2:deployment-${d.id}.step-1:30%`, 'stop:prod/web', `report:deployment-${d.id}.step-1`]);
    expect(target.calls.filter((c) => c.op === 'setWeights')).toEqual([]);
    await e.service.resume(d.id);
    expect((await waitForDeployment(events, d.id, undefined, 5000)).type).toBe('deployment.succeeded');
  });

  it('GIVEN a report the data plane no longer has (its router restarted) THEN the verdict is Error and the deployment pauses rather than guessing', async () => {
    const e = engine();
    const d = e.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy });
    await waitForDeployment(events, d.id, ['deployment.paused'], 5000);
    const run = e.service.get(d.id).shadowRuns![0]!;
    expect([run.verdict, run.report, run.reasons[0]]).toEqual(['Error', null, `no shadow comparison deployment-${d.id}.step-1`]);
  });

  it('GIVEN 20 % of the answers differing THEN it rolls back with trigger shadow, and the new revision never had weight', async () => {
    const e = engine();
    shadow.report = (id) => report(id, 100, 20);
    const d = e.service.start({ service: 'web', environment: 'prod', revision: 'v2', strategy });
    expect((await waitForDeployment(events, d.id, undefined, 5000)).type).toBe('deployment.rolled_back');
    const done = e.service.get(d.id);
    expect(done.rollback).toMatchObject({ trigger: 'shadow', reason: 'shadow Failed: 20% of answers differ (20 of 100), more than 5%: status ×20' });
    expect(target.calls.filter((c) => c.op === 'setWeights').map((c) => c.weights)).toEqual([{ v1: 100 }]);
  });
});
