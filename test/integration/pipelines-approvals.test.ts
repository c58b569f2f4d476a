import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineDefinition } from '../../src/shared/index.js';
import { buildspec, pipelineHarness, type Harness } from './pipelines-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const gated = (timeout = '1h', executionMode?: 'SUPERSEDED' | 'QUEUED'): PipelineDefinition => ({
  ...(executionMode ? { executionMode } : {}),
  stages: [
    { name: 'Build', actions: [{ type: 'invoke', name: 'build', command: 'true' }] },
    { name: 'Approve', actions: [{ type: 'approval', timeout }] },
    { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
  ],
});

const waitingApproval = (h: Harness, runId: number) => h.waitFor((e) => e.type === 'pipeline.approval.requested' && e.data.runId === runId);

describe('approvals', () => {
  it('waits at an approval and continues when approved, recording who and when', async () => {
    h = await pipelineHarness({ pipeline: gated() });
    // GIVEN a run waiting at the approval
    const run = await h.pipelines.run();
    await waitingApproval(h, run.id);
    expect(h.pipelines.getRun(run.id).stages.map((s) => s.status)).toEqual(['Succeeded', 'InProgress', 'Pending']);
    // WHEN someone approves it through the API
    const res = await h.request('POST', `/api/v1/pipeline/runs/${run.id}/approve`, { by: 'alice', comment: 'looks good' });
    // THEN the decision is an event and the run deploys to production
    expect(res.status).toBe(200);
    const approved = await h.waitFor((e) => e.type === 'pipeline.approval.approved');
    expect(approved.data).toMatchObject({ runId: run.id, stage: 'Approve', action: 'approval', by: 'alice', comment: 'looks good' });
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Succeeded');
    expect(done.stages[1]!.actions[0]!.output).toMatchObject({ approval: 'Approved', by: 'alice' });
    // AND approving again is a conflict
    expect((await h.request('POST', `/api/v1/pipeline/runs/${run.id}/approve`, {})).status).toBe(409);
  });

  it('fails the run on reject, without deploying', async () => {
    h = await pipelineHarness({ pipeline: gated() });
    const run = await h.pipelines.run();
    await waitingApproval(h, run.id);
    // WHEN it is rejected (by defaults to "api")
    await h.request('POST', `/api/v1/pipeline/runs/${run.id}/reject`, { comment: 'not today' });
    // THEN the run fails at the approval
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Failed');
    expect(done.reason).toBe('stage Approve: approval: rejected by api: not today');
    expect(done.stages[2]!.status).toBe('Pending');
    expect(h.events.list({ type: 'pipeline.approval.rejected' })[0]!.data).toMatchObject({ by: 'api', comment: 'not today' });
  });

  it('fails the approval when nobody decides before its timeout', async () => {
    h = await pipelineHarness({ pipeline: gated('300ms') });
    const run = await h.pipelines.run();
    // WHEN nobody decides THEN the approval expires and fails the run
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Failed');
    expect(done.stages[1]!.actions[0]).toMatchObject({ status: 'Failed', reason: 'no approval within 300 ms' });
    expect(h.events.list({ type: 'pipeline.approval.expired' })).toHaveLength(1);
  });

  it('SUPERSEDED: a newer run overtakes an older one waiting between stages', async () => {
    h = await pipelineHarness({ pipeline: gated() });
    // GIVEN run 1 waiting at the approval
    const r1 = await h.pipelines.run();
    await waitingApproval(h, r1.id);
    // WHEN run 2 and then run 3 finish Build and wait to enter Approve
    await h.commit({ 'v.txt': '2' });
    const r2 = await h.pipelines.run();
    await h.waitFor((e) => e.type === 'pipeline.stage.succeeded' && e.data.runId === r2.id);
    await h.commit({ 'v.txt': '3' });
    const r3 = await h.pipelines.run();
    // THEN run 2 is superseded by run 3, run 1 keeps its approval
    const superseded = await h.waitForEnd(r2.id);
    expect(superseded.status).toBe('Superseded');
    expect(superseded.reason).toBe('superseded by a newer run while waiting for Approve');
    expect(superseded.stages.map((s) => s.status)).toEqual(['Succeeded', 'Pending', 'Pending']);
    // AND once run 1 is approved and leaves, run 3 enters the approval stage
    h.pipelines.approve(r1.id, { by: 'bob' });
    expect((await h.waitForEnd(r1.id)).status).toBe('Succeeded');
    await waitingApproval(h, r3.id);
    h.pipelines.approve(r3.id);
    expect((await h.waitForEnd(r3.id)).status).toBe('Succeeded');
  });

  it('QUEUED: runs wait their turn and none is superseded', async () => {
    h = await pipelineHarness({ pipeline: gated('1h', 'QUEUED') });
    const r1 = await h.pipelines.run();
    await waitingApproval(h, r1.id);
    const r2 = await h.pipelines.run();
    await h.waitFor((e) => e.type === 'pipeline.stage.succeeded' && e.data.runId === r2.id);
    const r3 = await h.pipelines.run();
    await h.waitFor((e) => e.type === 'pipeline.stage.succeeded' && e.data.runId === r3.id);
    // WHEN run 1 is approved THEN run 2 (the oldest waiting) enters next, then run 3
    h.pipelines.approve(r1.id);
    await waitingApproval(h, r2.id);
    expect(h.pipelines.getRun(r3.id).stages[1]!.status).toBe('Pending');
    h.pipelines.approve(r2.id);
    await waitingApproval(h, r3.id);
    h.pipelines.approve(r3.id);
    for (const r of [r1, r2, r3]) expect((await h.waitForEnd(r.id)).status).toBe('Succeeded');
  });
});

describe('resuming after a control-plane crash', () => {
  it('marks a build whose process died Failed, then retries it', async () => {
    // GIVEN a build (retries: 1) that blocks on its first attempt
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-marker-')), 'first-attempt');
    h = await pipelineHarness({
      files: { 'buildspec.yml': buildspec([`if [ -f ${marker} ]; then echo second attempt; else touch ${marker}; echo first attempt; sleep 30; fi`]) },
      pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build', retries: 1 }] }, { name: 'After', actions: [{ type: 'invoke', command: 'true' }] }] },
    });
    const run = await h.pipelines.run();
    const seen = await h.pipelines.logs(run.id, { waitMs: 10_000 });
    expect(seen.lines.length).toBeGreaterThan(0);
    await h.waitFor((e) => e.type === 'pipeline.action.started' && e.data.runId === run.id);
    // WHEN the control plane goes away mid-build and a new one opens the same database
    await h.restart();
    // THEN the lost attempt is Failed with the reason, the retry succeeds and the run completes
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Succeeded');
    expect(done.stages[0]!.actions[0]!.attempt).toBe(2);
    const failed = h.events.list({ type: 'pipeline.action.failed' });
    expect(failed.map((e) => e.data.reason)).toEqual(['the control plane stopped while the action ran; its process was lost']);
    expect(h.events.list({ type: 'pipeline.run.resumed' }).map((e) => e.data.runId)).toEqual([run.id]);
    const lines = (await h.pipelines.logs(run.id, { action: 'build' })).lines.map((l) => l.line);
    expect(lines).toContain('second attempt');
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  });

  it('keeps an approval waiting across a restart', async () => {
    h = await pipelineHarness({ pipeline: gated() });
    const run = await h.pipelines.run();
    await waitingApproval(h, run.id);
    // WHEN the control plane restarts
    await h.restart();
    await h.waitFor((e) => e.type === 'pipeline.action.resumed' && e.data.runId === run.id);
    // THEN the approval still waits and an approval through the new one continues the run
    expect(h.pipelines.getRun(run.id).stages[1]!.actions[0]!.status).toBe('Waiting');
    h.pipelines.approve(run.id, { by: 'carol' });
    const done = await h.waitForEnd(run.id);
    expect(done.status).toBe('Succeeded');
    expect(h.events.list({ type: 'pipeline.approval.requested' })).toHaveLength(1);
  });
});
