import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import type { Deployment } from '../../src/deployments/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { pipelineDeployer } from '../../src/server/pipeline-deployer.js';
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
  /** Runs the CLI in process against the control plane; returns exit code and output. */
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    vi.stubEnv('SLIPWAY_TOKEN', cp.token);
    try {
      const code = await main(['node', 'slipway', '--url', `http://127.0.0.1:${cp.ports.api}`, ...args]);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      o.mockRestore();
      e.mockRestore();
      vi.unstubAllEnvs();
    }
  };
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

  it('through the CLI: slipway deployments approve and reject record who and why', async () => {
    const d = await deploy('cli-approved');
    expect(await cli('deployments', 'show', String(d.id))).toMatchObject({ code: 0, out: expect.stringContaining(`approval   Pending  (slipway deployments approve ${d.id})`) });
    expect(await cli('deployments', 'approve', String(d.id), '--by', 'dee', '--comment', 'go')).toEqual({ code: 0, out: `deployment ${d.id}: approved by dee (Created)\n`, err: '' });
    expect((await waitForDeployment(cp.events, d.id)).type).toBe('deployment.succeeded');
    expect(deploymentEvents(cp.events, d.id).find((e) => e.type === 'deployment.approved')?.data).toMatchObject({ by: 'dee', comment: 'go' });
    // AND a decision on a finished deployment is one clear line and exit 1
    const late = await cli('deployments', 'reject', String(d.id));
    expect([late.code, late.err]).toEqual([1, `slipway: deployment ${d.id} is Succeeded\n`]);
    const r = await deploy('cli-rejected');
    expect(await cli('deployments', 'reject', String(r.id), '--by', 'eve', '--comment', 'wrong build')).toEqual({ code: 0, out: `deployment ${r.id}: rejected by eve (Rejected)\n`, err: '' });
  }, 60_000);

  it("a pipeline's deploy action waits for the approval, and fails when the deployment is rejected", async () => {
    // Outside git every service deploys the request's revision.
    const deployer = pipelineDeployer(cp.runtime!.deployments, cp.events, { app: cp.appModel!, appDir: tmp.path, appFile: undefined });
    const request = (revision: string) => ({ environment: 'production', service: 'payments', revision, sourceDir: tmp.path, runId: 1, actionId: 1, attempt: 1, commitSha: revision, artifact: undefined, rollback: false, resumed: false, signal: new AbortController().signal });
    // GIVEN a deploy action into the environment WHEN it runs THEN it waits on a deployment AwaitingApproval
    let settled = false;
    const approvedRun = deployer.deploy(request('pipe-ok')).finally(() => (settled = true));
    const waiting = await waitFor('the pipeline deployment waiting', () => cp.runtime!.deployments.service.list({ service: 'payments', state: 'AwaitingApproval' })[0], 10_000);
    expect([waiting.toRevision, settled]).toEqual(['pipe-ok', false]);
    // WHEN it is approved THEN the action succeeds with that deployment
    expect((await call('POST', `/api/v1/deployments/${waiting.id}/approve`, { by: 'fay' })).status).toBe(200);
    expect(await approvedRun).toEqual({ status: 'Succeeded', deploymentIds: [String(waiting.id)] });
    // AND a rejected one fails the action, saying who rejected it and why
    const rejectedRun = deployer.deploy(request('pipe-no'));
    const next = await waitFor('the second pipeline deployment waiting', () => cp.runtime!.deployments.service.list({ service: 'payments', state: 'AwaitingApproval' })[0], 10_000);
    expect((await call('POST', `/api/v1/deployments/${next.id}/reject`, { by: 'gus', comment: 'freeze' })).status).toBe(200);
    expect(await rejectedRun).toEqual({ status: 'Failed', deploymentIds: [String(next.id)], message: `payments: deployment ${next.id} Rejected (rejected by gus: freeze)` });
    expect(revisions()).toEqual(['pipe-ok:100']);
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
