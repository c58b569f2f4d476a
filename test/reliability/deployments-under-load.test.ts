import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterClient, RouterMetricsSnapshot } from '../../src/router/index.js';
import { TestApi } from '../support/api.js';
import { startSlipway } from '../support/cli.js';
import { killDataPlane } from '../support/data-plane.js';
import { appendAlarmState, deploymentEventsOf, routerOf, shopLoad, sumCounter, waitForDeploymentEvent, type ApiEvent } from '../support/deployment-harness.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface Status {
  runtime: { router: { listeners: { kind: string; port: number }[] } };
}

/**
 * Progressive deployments of the shop's payments service under steady load
 * through the ingress, with a real `slipway up`: a canary and a blue/green
 * that succeed, a bad revision (every charge fails) rolled back by an alarm,
 * a revision that never gets healthy, an analysis without enough traffic
 * that pauses, and a control-plane SIGKILL mid-canary. No request may fail
 * because of the router or a switch: router-made 5xx (HTTPCode_ELB_5XX_Count)
 * stay at 0, and every 5xx the shoppers see is one the bad revision made.
 */
describe('reliability: progressive deployments under load', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  let configFile = '';
  let cp: ReturnType<typeof startSlipway>;
  let ingress = 0;
  let router: RouterClient;
  const summary: string[] = [];

  const up = async () => {
    cp = startSlipway(['up', '--config', configFile, '--port', '0', '--data', dataDir]);
    await waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${cp.output.stderr.slice(-2000)}`);
    });
  };
  const deploy = async (revision: string, body: Record<string, unknown>) =>
    (await api.ok<{ id: number }>('POST', '/api/v1/deployments', { service: 'payments', environment: 'production', revision, ...body })).id;
  const weightsOf = (events: ApiEvent[]) => events.filter((e) => e.type === 'deployment.traffic.shifted').map((e) => (e.data.to as Record<string, number>)[e.data.toRevision as string] ?? 0);

  /** Runs `scenario` under load; returns the load's counts and the router's deltas. */
  const underLoad = async (name: string, scenario: () => Promise<string | undefined>) => {
    const before: RouterMetricsSnapshot = await router.metrics();
    const load = shopLoad(ingress);
    const note = await scenario();
    const counts = await load.stop();
    const after = await router.metrics();
    const delta = (c: Parameters<typeof sumCounter>[1], m?: Parameters<typeof sumCounter>[2]) => sumCounter(after, c, m) - sumCounter(before, c, m);
    const routerMade5xx = delta('HTTPCode_ELB_5XX_Count');
    const badRevision5xx = delta('HTTPCode_Target_5XX_Count', (d) => d.service === 'payments' && d.revision === 'bad');
    const routerMadeBy = after.targetGroups
      .map((g) => ({ g: `${g.dimensions.service}/${g.dimensions.revision || '-'}`, n: g.HTTPCode_ELB_5XX_Count - (before.targetGroups.find((b) => b.dimensions.targetGroup === g.dimensions.targetGroup && b.dimensions.service === g.dimensions.service)?.HTTPCode_ELB_5XX_Count ?? 0) }))
      .filter((x) => x.n > 0);
    summary.push(
      `${name}: ${counts.total} responses ${JSON.stringify(counts.byCode)}, ${counts.connectionErrors} connection errors, ${counts.timeouts} timeouts, ` +
        `router-made 5xx ${routerMade5xx}${routerMadeBy.length ? ` ${JSON.stringify(routerMadeBy)}` : ''}, 5xx of the bad revision ${badRevision5xx}${note ? `, ${note}` : ''}`,
    );
    return { ...counts, routerMade5xx, badRevision5xx };
  };
  const expectNoLoss = (r: Awaited<ReturnType<typeof underLoad>>) => {
    expect(r.errors).toEqual([]);
    expect(r.connectionErrors).toBe(0);
    expect(r.timeouts).toBe(0);
    expect(r.routerMade5xx).toBe(0);
    expect(r.fivexx).toBeLessThanOrEqual(r.badRevision5xx);
    expect(r.total).toBeGreaterThan(100);
  };

  beforeAll(async () => {
    configFile = writeShopConfig(tmp.path, {
      serviceTasks: { payments: 2 },
      // One task per service but payments: a CPU-starved health check must not take a service out.
      health: { interval: '1s', timeout: '900ms', unhealthyThreshold: 5 },
      environment: { testPort: 0, rollbackOn: ['payments-5xx'] },
      // The alarm is a stub the test drives with alarm.state.changed events: its metric never has data, so the
      // control plane's own alarm engine (which would also see the bad revision's 5xx) cannot fire it in a later scenario.
      alarms: { 'payments-5xx': { metric: 'test.stub.alarm', service: 'payments', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
    });
    await up();
    const s = await waitFor('all tasks healthy', async () => {
      const st = await api.ok<Status & { runtime: { environments: { services: { revisions: { tasks: { state: string }[] }[] }[] }[] } }>('GET', '/api/v1/status');
      const tasks = st.runtime.environments[0]!.services.flatMap((x) => x.revisions.flatMap((r) => r.tasks));
      return tasks.length === 5 && tasks.every((t) => t.state === 'Healthy') ? st : undefined;
    }, 30_000);
    ingress = s.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    router = routerOf(dataDir);
    await waitFor('the ingress to route checkouts', async () => ((await fetch(`http://127.0.0.1:${ingress}/api/products?limit=1`)).status === 200 ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    if (cp?.child.exitCode === null) {
      cp.child.kill('SIGINT');
      await cp.exited;
    }
    await router?.close();
    killDataPlane(dataDir);
    tmp.cleanup();
    console.log(`deployments under load:\n  ${summary.join('\n  ')}`);
  });

  it('a canary with analysis succeeds', { timeout: 60_000 }, async () => {
    const r = await underLoad('canary succeeds', async () => {
      const id = await deploy('canary-ok', { strategy: { type: 'canary', steps: [25, 100], interval: '1500ms' }, analysis: { maxErrorRatePercent: 5, minRequestCount: 5 } });
      expect((await waitForDeploymentEvent(api, id, ['deployment.succeeded', 'deployment.rolled_back', 'deployment.paused'])).type).toBe('deployment.succeeded');
      const events = await deploymentEventsOf(api, id);
      expect(weightsOf(events)).toEqual([25, 100]);
      const run = events.find((e) => e.type === 'deployment.analysis.completed')!;
      expect(run.data.verdict).toBe('Successful');
      return `analysis: ${String(run.data.reason)}`;
    });
    expectNoLoss(r);
    expect(r.fivexx).toBe(0);
  });

  it('a blue/green deployment succeeds', { timeout: 60_000 }, async () => {
    const r = await underLoad('blue/green succeeds', async () => {
      const id = await deploy('green', { strategy: { type: 'blueGreen', bakeTime: '1s', terminateBlueAfter: '1s' } });
      expect((await waitForDeploymentEvent(api, id, ['deployment.succeeded', 'deployment.rolled_back'])).type).toBe('deployment.succeeded');
      expect(weightsOf(await deploymentEventsOf(api, id))).toEqual([100]);
      return undefined;
    });
    expectNoLoss(r);
    expect(r.fivexx).toBe(0);
  });

  it('a revision whose charges fail is rolled back by an alarm', { timeout: 60_000 }, async () => {
    let rollbackMs = 0;
    const r = await underLoad('bad revision, alarm rollback', async () => {
      const id = await deploy('bad', { env: { PAYMENTS_FAILURE_RATE: '1' }, strategy: { type: 'canary', steps: [25, 100], interval: '10m' } });
      await waitForDeploymentEvent(api, id, ['deployment.traffic.shifted']);
      // The bad revision answers with 500s (the router's per-revision metrics show it) ...
      await waitFor('the bad revision to fail some charges', async () => (sumCounter(await router.metrics(), 'HTTPCode_Target_5XX_Count', (d) => d.revision === 'bad') >= 5 ? true : undefined), 20_000, 50);
      // ... so the alarm (a stub: an event appended by another process) goes to ALARM.
      appendAlarmState(dataDir, 'payments-5xx', 'ALARM');
      const end = await waitForDeploymentEvent(api, id, ['deployment.rolled_back', 'deployment.succeeded']);
      appendAlarmState(dataDir, 'payments-5xx', 'OK');
      expect(end.data).toMatchObject({ trigger: 'alarm', state: 'RolledBack' });
      rollbackMs = end.data.rollbackMs as number;
      const shift = (await deploymentEventsOf(api, id)).filter((e) => e.type === 'deployment.traffic.shifted').at(-1)!;
      expect(shift.data).toMatchObject({ confirmed: true, to: { green: 100, bad: 0 } });
      return `rollbackMs ${rollbackMs} (phases ${JSON.stringify(shift.data.phases)})`;
    });
    expectNoLoss(r);
    expect(r.badRevision5xx).toBeGreaterThanOrEqual(5);
    expect(rollbackMs).toBeGreaterThan(0);
  });

  it('a revision that never gets healthy is rolled back without taking traffic', { timeout: 60_000 }, async () => {
    const r = await underLoad('unhealthy revision', async () => {
      const id = await deploy('crashes', { env: { NODE_OPTIONS: '--require=/nonexistent/crash.js' }, strategy: { type: 'canary', steps: [25, 100], interval: '10m' } });
      const end = await waitForDeploymentEvent(api, id, ['deployment.rolled_back', 'deployment.succeeded']);
      expect(end.data).toMatchObject({ trigger: 'health', state: 'RolledBack' });
      return `${String(end.data.reason)}`;
    });
    expectNoLoss(r);
    expect(r.fivexx).toBe(0);
  });

  it('an analysis without enough requests is Inconclusive and pauses; abort then rolls back', { timeout: 60_000 }, async () => {
    const r = await underLoad('inconclusive analysis', async () => {
      const id = await deploy('quiet', { strategy: { type: 'canary', steps: [25, 100], interval: '1s' }, analysis: { minRequestCount: 10_000_000 } });
      await waitForDeploymentEvent(api, id, ['deployment.paused']);
      const run = (await deploymentEventsOf(api, id)).find((e) => e.type === 'deployment.analysis.completed')!;
      expect(run.data).toMatchObject({ verdict: 'Inconclusive', outcome: 'pause' });
      expect((await api.ok<{ state: string }>('GET', `/api/v1/deployments/${id}`)).state).toBe('Paused');
      await api.ok('POST', `/api/v1/deployments/${id}/abort`);
      const end = await waitForDeploymentEvent(api, id, ['deployment.rolled_back']);
      expect(end.data).toMatchObject({ trigger: 'abort', state: 'Stopped' });
      return `abort rollbackMs ${String(end.data.rollbackMs)}`;
    });
    expectNoLoss(r);
    expect(r.fivexx).toBe(0);
  });

  it('a canary interrupted by a control-plane SIGKILL resumes and succeeds', { timeout: 60_000 }, async () => {
    const r = await underLoad('SIGKILL mid-canary', async () => {
      const id = await deploy('resumed', { strategy: { type: 'canary', steps: [25, 50, 100], interval: '2s' } });
      await waitForDeploymentEvent(api, id, ['deployment.traffic.shifted']);
      cp.child.kill('SIGKILL');
      await cp.exited;
      fs.rmSync(path.join(dataDir, 'server.json'), { force: true });
      await up();
      expect((await waitForDeploymentEvent(api, id, ['deployment.succeeded', 'deployment.rolled_back'])).type).toBe('deployment.succeeded');
      const events = await deploymentEventsOf(api, id);
      expect(weightsOf(events)).toEqual([25, 50, 100]);
      expect(events.some((e) => e.type === 'deployment.resumed')).toBe(true);
      return undefined;
    });
    expectNoLoss(r);
    expect(r.fivexx).toBe(0);
  });
});
