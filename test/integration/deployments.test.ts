import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/deployments/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { deploymentEvents, newRevisionWeights, waitForDeployment, waitForEvent } from '../support/deployment-events.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const NODE_FETCH_TEST_URL = `node -e "fetch(process.env.SLIPWAY_TEST_URL + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(2))"`;

/**
 * Every strategy against the example shop's payments service (2 tasks), in a
 * real control plane with a real router and real processes; what happened is
 * read back from the event log.
 */
describe('deployments of the example shop', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  const call = async <T = Deployment>(method: string, url: string, body?: unknown) => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json<T & { error: { code: string; message: string } }>() };
  };
  const deploy = async (revision: string, extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/api/v1/deployments', { service: 'payments', environment: 'production', revision, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const serving = () => cp.runtime!.environments.revisions.list({ environment: 'production', service: 'payments' }).map((r) => `${r.revision}:${r.weightPercent}`);

  beforeAll(async () => {
    tmp = tempDir();
    const configFile = writeShopConfig(tmp.path, {
      serviceTasks: { payments: 2 },
      environment: {
        testPort: 0,
        rollbackOn: ['payments-5xx'],
        hooks: {
          BeforeInstall: { command: 'echo "installing $SLIPWAY_TO_REVISION over $SLIPWAY_FROM_REVISION"' },
          AfterAllowTestTraffic: { command: NODE_FETCH_TEST_URL, timeout: '10s' },
          BeforeAllowTraffic: { command: 'test "$SLIPWAY_TO_REVISION" != hook-fails' },
        },
      },
      alarms: { 'payments-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'payments', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
    });
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 100 });
    await waitFor('payments healthy and routed', () => {
      const h = cp.runtime!.environments.revisionHealth('production', 'payments', serving()[0]!.split(':')[0]!);
      return h.healthyCount === 2 && h.routed ? true : undefined;
    }, 30_000);
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('refuses bad requests with a clear 4xx and applies nothing', async () => {
    const before = serving();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ service: 'nope', environment: 'production', revision: 'x' }, 404, 'SLW_ERR_DEPLOY_SERVICE_NOT_FOUND'],
      [{ service: 'payments', environment: 'nope', revision: 'x' }, 404, 'SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND'],
      [{ service: 'payments', environment: 'production', revision: 'x', strategy: 'CodeDeployDefault.Nope' }, 400, 'SLW_ERR_DEPLOY_STRATEGY_INVALID'],
      [{ service: 'payments', environment: 'production', revision: 'x', strategy: { type: 'canary', steps: [50, 20, 100], interval: '1s' } }, 400, 'SLW_ERR_DEPLOY_STRATEGY_INVALID'],
      [{ service: 'payments', environment: 'production', revision: 'x', strategy: { type: 'canary', steps: [10, 50], interval: '1s' } }, 400, 'SLW_ERR_DEPLOY_STRATEGY_INVALID'],
      [{ service: 'payments', environment: 'production', revision: 'x', sourceDir: '/does/not/exist' }, 400, 'SLW_ERR_DEPLOY_SOURCE_NOT_FOUND'],
      [{ service: 'payments', environment: 'production', revision: 'bad revision!' }, 400, 'SLW_ERR_API_VALIDATION'],
      // payments runs as processes: an image is for container services only
      [{ service: 'payments', environment: 'production', revision: 'x', image: '127.0.0.1:5000/shop/payments:v1' }, 400, 'SLW_ERR_DEPLOY_IMAGE_INVALID'],
      [{ service: 'payments', environment: 'production', revision: 'x', image: 'Not An Image' }, 400, 'SLW_ERR_API_VALIDATION'],
    ];
    for (const [body, status, code] of cases) {
      // GIVEN a bad request WHEN posted THEN it is refused with its code
      const r = await call('POST', '/api/v1/deployments', body);
      expect([r.status, r.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    // AND nothing was created or started
    expect((await call<{ deployments: Deployment[] }>('GET', '/api/v1/deployments')).body.deployments).toEqual([]);
    expect(serving()).toEqual(before);
  });

  it('deploying the revision that already serves everything succeeds at once, recorded as unchanged, touching nothing', async () => {
    const before = serving();
    const revision = before[0]!.split(':')[0]!;
    // GIVEN the revision serving 100 % WHEN it is deployed again THEN the deployment is Succeeded already
    const d = await deploy(revision);
    expect(d).toMatchObject({ state: 'Succeeded', toRevision: revision, fromRevision: revision, plan: [] });
    expect(d.message).toContain('unchanged');
    // AND the event log says so, and nothing moved
    const succeeded = deploymentEvents(cp.events, d.id).find((e) => e.type === 'deployment.succeeded');
    expect(succeeded?.data).toMatchObject({ unchanged: true, durationMs: 0 });
    expect(deploymentEvents(cp.events, d.id).map((e) => e.type)).toEqual(['deployment.created', 'deployment.succeeded']);
    expect(serving()).toEqual(before);
  });

  it('all at once: the new revision at full size, then 100% at once, then the old one stops', async () => {
    const d = await deploy('aao', { strategy: 'CodeDeployDefault.AllAtOnce' });
    // WHEN a second deployment of the same service is asked for meanwhile THEN it is refused with 409
    const second = await call('POST', '/api/v1/deployments', { service: 'payments', environment: 'production', revision: 'other' });
    expect([second.status, second.body.error.code]).toEqual([409, 'SLW_ERR_DEPLOY_IN_PROGRESS']);
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([100]);
    expect(serving()).toEqual(['aao:100']);
    const hooks = deploymentEvents(cp.events, d.id).filter((e) => e.type === 'deployment.hook.completed').map((e) => `${e.data.hook as string}:${e.data.result as string}`);
    expect(hooks).toEqual(['BeforeInstall:Succeeded', 'BeforeAllowTraffic:Succeeded']);
    const detail = (await call<Deployment & { logs: { source: string; text: string }[] }>('GET', `/api/v1/deployments/${d.id}`)).body;
    expect(detail.logs[0]).toMatchObject({ source: 'hook:BeforeInstall' });
    expect(detail.logs[0]!.text).toContain('installing aao over');
  });

  it('canary: 25% then 100%, the old revision serving the rest meanwhile', async () => {
    const d = await deploy('canary', { strategy: { type: 'canary', steps: [25, 100], interval: '300ms' } });
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([25, 100]);
    const shifts = deploymentEvents(cp.events, d.id).filter((e) => e.type === 'deployment.traffic.shifted');
    // THEN both revisions had their 2 healthy tasks at each shift
    expect(shifts.map((e) => e.data.tasks)).toEqual([{ aao: 2, canary: 2 }, { aao: 2, canary: 2 }]);
    expect(serving()).toEqual(['canary:100']);
  });

  it('linear: 50% every 300 ms', async () => {
    const d = await deploy('linear', { strategy: { type: 'linear', percent: 50, every: '300ms' } });
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([50, 100]);
  });

  it('rolling one at a time: surge one new task, shift in proportion, shrink the old set', async () => {
    const d = await deploy('rolling', { strategy: 'CodeDeployDefault.OneAtATime' });
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([50, 100]);
    const scaled = deploymentEvents(cp.events, d.id).filter((e) => e.type === 'deployment.tasks.scaled').map((e) => `${e.data.revision as string}:${e.data.desiredCount as number}`);
    expect(scaled).toEqual(['rolling:1', 'linear:1', 'rolling:2']);
    const shifts = deploymentEvents(cp.events, d.id).filter((e) => e.type === 'deployment.traffic.shifted');
    expect(shifts.map((e) => (e.data.tasks as Record<string, number>).rolling)).toEqual([1, 2]);
  });

  it('blue/green: test traffic first (AfterAllowTestTraffic reaches green), one switch, bake, blue kept then stopped', async () => {
    const d = await deploy('green', { strategy: { type: 'blueGreen', bakeTime: '300ms', terminateBlueAfter: '300ms' } });
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    const types = deploymentEvents(cp.events, d.id).map((e) => (e.type === 'deployment.hook.completed' ? `hook:${e.data.hook as string}:${e.data.result as string}` : e.type === 'deployment.test_traffic.changed' ? `test:${e.data.enabled as boolean}` : e.type));
    const interesting = types.filter((t) => t.startsWith('test:') || t.startsWith('hook:AfterAllowTestTraffic') || t === 'deployment.traffic.shifted' || t === 'deployment.revision.retired');
    expect(interesting).toEqual(['test:true', 'hook:AfterAllowTestTraffic:Succeeded', 'deployment.traffic.shifted', 'test:false', 'deployment.revision.retired']);
    expect(newRevisionWeights(cp.events, d.id)).toEqual([100]);
    expect(serving()).toEqual(['green:100']);
  });

  it('a failing hook rolls back: all traffic stays on the old revision, the new one is stopped', async () => {
    const d = await deploy('hook-fails', { strategy: { type: 'canary', steps: [50, 100], interval: '300ms' } });
    const end = await waitForDeployment(cp.events, d.id);
    expect(end.type).toBe('deployment.rolled_back');
    expect(end.data).toMatchObject({ trigger: 'hook', state: 'RolledBack' });
    expect(String(end.data.reason)).toContain('BeforeAllowTraffic');
    expect(serving()).toEqual(['green:100']);
  });

  it('an alarm in ALARM rolls a canary back; traffic is restored before the new tasks stop', async () => {
    const d = await deploy('alarmed', { strategy: { type: 'canary', steps: [50, 100], interval: '1h' } });
    await waitForEvent(cp.events, (e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted', 30_000, 'the 50% step');
    // WHEN the alarm engine (here: a stub event) says payments-5xx is in ALARM
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/payments-5xx', data: { alarm: 'payments-5xx', newState: 'ALARM' } });
    const end = await waitForDeployment(cp.events, d.id);
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/payments-5xx', data: { alarm: 'payments-5xx', newState: 'OK' } });
    // THEN it rolled back, and the traffic shift came first, confirmed by the router
    expect(end.data).toMatchObject({ trigger: 'alarm', state: 'RolledBack' });
    expect(end.data.rollbackMs).toBeGreaterThan(0);
    const rollbackShift = deploymentEvents(cp.events, d.id).filter((e) => e.type === 'deployment.traffic.shifted').at(-1)!;
    expect(rollbackShift.data).toMatchObject({ confirmed: true, to: { green: 100, alarmed: 0 } });
    const stopped = cp.events.list({ type: 'service.revision.stopped' }).find((e) => e.data.revision === 'alarmed')!;
    expect(stopped.seq).toBeGreaterThan(rollbackShift.seq);
    expect(serving()).toEqual(['green:100']);
  });

  it('too little traffic for the analysis is Inconclusive: the deployment pauses, and resume accepts the step', async () => {
    const d = await deploy('quiet', { strategy: { type: 'canary', steps: [50, 100], interval: '300ms' }, analysis: { minRequestCount: 50, maxErrorRatePercent: 5 } });
    await waitForDeployment(cp.events, d.id, ['deployment.paused']);
    const run = deploymentEvents(cp.events, d.id).find((e) => e.type === 'deployment.analysis.completed')!;
    expect(run.data).toMatchObject({ verdict: 'Inconclusive', outcome: 'pause' });
    expect((await call('GET', `/api/v1/deployments/${d.id}`)).body.state).toBe('Paused');
    // WHEN a human resumes THEN the rollout goes on to 100%
    expect((await call('POST', `/api/v1/deployments/${d.id}/resume`)).status).toBe(200);
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([50, 100]);
  });

  it('manual control: pause, promote past the waits, then roll the finished deployment back', async () => {
    const d = await deploy('manual', { strategy: { type: 'canary', steps: [10, 50, 100], interval: '1h' } });
    await waitForEvent(cp.events, (e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted', 30_000, 'the 10% step');
    expect((await call('POST', `/api/v1/deployments/${d.id}/pause`)).body.state).toBe('Paused');
    expect((await call('POST', `/api/v1/deployments/${d.id}/resume`)).body.state).toBe('InProgress');
    expect((await call('POST', `/api/v1/deployments/${d.id}/promote`)).status).toBe(200);
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(newRevisionWeights(cp.events, d.id)).toEqual([10, 100]);
    // WHEN the finished deployment is rolled back THEN a new Rollback deployment brings "quiet" back
    const rb = await call('POST', `/api/v1/deployments/${d.id}/rollback`);
    expect(rb.status).toBe(201);
    expect(rb.body).toMatchObject({ kind: 'Rollback', rollbackOf: d.id, fromRevision: 'manual', toRevision: 'quiet' });
    expect((await waitForDeployment(cp.events, rb.body.id)).type).toBe('deployment.succeeded');
    expect(serving()).toEqual(['quiet:100']);
    // AND a finished deployment cannot be aborted
    expect((await call('POST', `/api/v1/deployments/${d.id}/abort`)).body.error.code).toBe('SLW_ERR_DEPLOY_INVALID_STATE');
  });

  it('abort rolls back and ends Stopped; a revision that never gets healthy rolls back too', async () => {
    const d = await deploy('aborted', { strategy: { type: 'canary', steps: [50, 100], interval: '1h' } });
    await waitForEvent(cp.events, (e) => e.subject === `deployment/${d.id}` && e.type === 'deployment.traffic.shifted', 30_000, 'the 50% step');
    await call('POST', `/api/v1/deployments/${d.id}/abort`);
    expect((await waitForDeployment(cp.events, d.id)).data).toMatchObject({ trigger: 'abort', state: 'Stopped' });
    // GIVEN a revision whose tasks crash at start
    const bad = await deploy('crashes', { env: { NODE_OPTIONS: '--require=/nonexistent/crash.js' } });
    const end = await waitForDeployment(cp.events, bad.id, undefined, 60_000);
    expect(end.data).toMatchObject({ trigger: 'health', state: 'RolledBack' });
    expect(serving()).toEqual(['quiet:100']);
  }, 90_000);
});
