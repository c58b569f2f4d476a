import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/deployments/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { deploymentEvents, waitForDeployment } from '../support/deployment-events.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

/**
 * `environments.<e>.requiresApproval`: a deployment waits (AwaitingApproval)
 * until it is approved or rejected through the API; nothing starts and no
 * traffic moves before, and the wait survives a control-plane restart.
 */
describe('deployments to an environment that requires approval', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let configFile: string;
  const call = async <T = Deployment>(method: string, url: string, body?: unknown) => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json<T & { error: { code: string; message: string } }>() };
  };
  const deploy = async (revision: string) => {
    const r = await call('POST', '/api/v1/deployments', { service: 'payments', environment: 'production', revision, strategy: 'CodeDeployDefault.AllAtOnce' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const revisions = () => cp.runtime!.environments.revisions.list({ environment: 'production', service: 'payments' }).map((r) => `${r.revision}:${r.weightPercent}`);
  const start = async () => {
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile, drainMs: 100 });
    await waitFor('payments healthy and routed', () => {
      const h = cp.runtime!.environments.revisionHealth('production', 'payments', revisions()[0]!.split(':')[0]!);
      return h.healthyCount === 1 && h.routed ? true : undefined;
    }, 30_000);
  };

  beforeAll(async () => {
    tmp = tempDir();
    configFile = writeShopConfig(tmp.path, { environment: { requiresApproval: true } });
    await start();
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('waits for an approval before it starts anything, then runs once approved (who and why recorded)', async () => {
    const before = revisions();
    // GIVEN a deployment to an environment with requiresApproval
    const d = await deploy('approved');
    // THEN it waits, and says so in its API answer and in the event log
    expect(d.state).toBe('AwaitingApproval');
    expect(d.approval).toMatchObject({ status: 'Pending', by: null });
    const shown = (await call('GET', `/api/v1/deployments/${d.id}`)).body;
    expect(shown.state).toBe('AwaitingApproval');
    expect(deploymentEvents(cp.events, d.id).map((e) => e.type)).toEqual(['deployment.created', 'deployment.approval.requested']);
    // AND nothing started or moved
    expect(revisions()).toEqual(before);
    // AND the controls that would bypass the approval are refused
    for (const verb of ['promote', 'pause', 'resume']) {
      const r = await call('POST', `/api/v1/deployments/${d.id}/${verb}`, {});
      expect([verb, r.status, r.body.error.code]).toEqual([verb, 409, 'SLW_ERR_DEPLOY_INVALID_STATE']);
    }
    // AND a bad decision body is refused with the field that was wrong
    const bad = await call('POST', `/api/v1/deployments/${d.id}/approve`, { by: '' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'SLW_ERR_API_VALIDATION']);
    expect(bad.body.error.message).toContain('body.by');

    // WHEN it is approved
    const approved = await call('POST', `/api/v1/deployments/${d.id}/approve`, { by: 'ana', comment: 'staging looks good' });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ status: 'Approved', by: 'ana', comment: 'staging looks good' });
    // THEN it runs to the end
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    const events = deploymentEvents(cp.events, d.id);
    const approvedEvent = events.find((e) => e.type === 'deployment.approved');
    expect(approvedEvent?.data).toMatchObject({ by: 'ana', comment: 'staging looks good', reason: 'approved by ana' });
    // AND the approval came before the first traffic shift
    const shift = events.find((e) => e.type === 'deployment.traffic.shifted');
    expect(approvedEvent!.seq).toBeLessThan(shift!.seq);
    expect(revisions()).toEqual(['approved:100']);
    // AND a second decision is refused
    const again = await call('POST', `/api/v1/deployments/${d.id}/reject`, {});
    expect([again.status, again.body.error.code]).toEqual([409, 'SLW_ERR_DEPLOY_INVALID_STATE']);
  }, 60_000);

  it('reject ends the deployment without starting it or touching traffic', async () => {
    const before = revisions();
    const d = await deploy('rejected');
    const r = await call('POST', `/api/v1/deployments/${d.id}/reject`, { by: 'bo', comment: 'not on a Friday' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'Rejected', approval: { status: 'Rejected', by: 'bo', comment: 'not on a Friday' }, message: 'rejected by bo: not on a Friday' });
    expect(r.body.finishedAtMs).not.toBeNull();
    expect(deploymentEvents(cp.events, d.id).map((e) => e.type)).toEqual(['deployment.created', 'deployment.approval.requested', 'deployment.rejected']);
    expect(deploymentEvents(cp.events, d.id).at(-1)?.data).toMatchObject({ by: 'bo', comment: 'not on a Friday', state: 'Rejected' });
    expect(revisions()).toEqual(before);
    // AND the service is free for the next deployment
    const next = await deploy('after-reject');
    expect(next.state).toBe('AwaitingApproval');
    const aborted = await call('POST', `/api/v1/deployments/${next.id}/abort`, {});
    expect(aborted.body).toMatchObject({ state: 'Stopped' });
    expect(deploymentEvents(cp.events, next.id).map((e) => e.type)).toEqual(['deployment.created', 'deployment.approval.requested', 'deployment.stopped']);
    expect(revisions()).toEqual(before);
  }, 60_000);

  it('a restart of the control plane keeps the deployment waiting; it is approved afterwards', async () => {
    const d = await deploy('after-restart');
    // WHEN the control plane restarts while the deployment waits (the data plane keeps running)
    await cp.close({ stopTasks: false });
    await start();
    // THEN it still waits, with nothing started
    const shown = (await call('GET', `/api/v1/deployments/${d.id}`)).body;
    expect([shown.state, shown.approval?.status]).toEqual(['AwaitingApproval', 'Pending']);
    expect(revisions().some((r) => r.startsWith('after-restart'))).toBe(false);
    // AND the approval given to the new control plane lets it run
    expect((await call('POST', `/api/v1/deployments/${d.id}/approve`, { by: 'cy' })).status).toBe(200);
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(revisions()).toEqual(['after-restart:100']);
  }, 90_000);
});
