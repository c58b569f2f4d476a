import { afterEach, describe, expect, it } from 'vitest';
import { signGithubPayload } from '../../src/pipelines/index.js';
import type { PipelineRunSummaryDto } from '../../src/shared/index.js';
import { pipelineHarness, type Harness } from './pipelines-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECRET = 'webhook-secret-for-tests';
const quick = { stages: [{ name: 'Build', actions: [{ type: 'invoke' as const, command: 'true' }] }] };

function push(ref: string, after: string, delivery: string, secret = SECRET, extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ ref, after, before: '0'.repeat(40), deleted: false, repository: { full_name: 'acme/demo' }, ...extra });
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': signGithubPayload(secret, body) },
  };
}

describe('pipeline triggers', () => {
  it('starts a run within one poll interval of a commit, and not again after a restart', async () => {
    // GIVEN a pipeline polling every 300 ms that already ran the first commit
    const pollIntervalMs = 300;
    h = await pipelineHarness({ pipeline: { trigger: { branches: ['main'] }, ...quick }, pollIntervalMs });
    const first = await h.waitFor((e) => e.type === 'pipeline.run.started' && e.data.trigger === 'poll');
    // WHEN a commit lands on main
    const seq = h.events.lastSeq();
    const sha = await h.commit({ 'a.txt': 'one' }, 'second');
    const committedAtMs = Date.now();
    // THEN a run for it starts within one poll interval (plus a git call's worth of slack)
    const started = await h.waitFor((e) => e.type === 'pipeline.run.started' && e.data.commitSha === sha, { afterSeq: seq, timeoutMs: 5_000 });
    expect(started.timeMs - committedAtMs).toBeLessThan(pollIntervalMs + 700);
    expect(started.data).toMatchObject({ trigger: 'poll', ref: 'refs/heads/main', branch: 'main' });
    expect(first.data.commitSha).not.toBe(sha);
    // AND after a restart the same heads do not start runs again
    await h.waitForEnd(started.data.runId as number);
    await h.restart();
    await h.pipelines.pollNow();
    await h.pipelines.pollNow();
    expect(h.events.list({ type: 'pipeline.run.started' })).toHaveLength(2);
  });

  it('starts a run from a signed GitHub push, refuses a bad signature (401) and a replayed delivery (409)', async () => {
    // GIVEN a pipeline with a webhook secret and no polling
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const sha = await h.commit({ 'b.txt': 'two' });
    // WHEN a push with a wrong signature arrives
    const forged = push('refs/heads/main', sha, 'delivery-forged', 'not-the-secret');
    const bad = await h.request('POST', '/api/v1/webhooks/github', forged.body, forged.headers);
    // THEN it is refused and starts nothing (and its delivery id is not burnt)
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: { code: 'SLW_ERR_WEBHOOK_SIGNATURE' } });
    expect(h.events.list({ type: 'pipeline.run.started' })).toHaveLength(0);
    // WHEN a correctly signed push arrives
    const good = push('refs/heads/main', sha, 'delivery-1');
    const ok = await h.request('POST', '/api/v1/webhooks/github', good.body, good.headers);
    // THEN it starts a run of that commit
    expect(ok.status).toBe(202);
    const runId = ok.body.runId as number;
    expect(runId).toBeGreaterThan(0);
    const run = await h.waitForEnd(runId);
    expect(run).toMatchObject({ status: 'Succeeded', trigger: 'webhook', commitSha: sha, ref: 'refs/heads/main' });
    // AND replaying the same delivery is a conflict that starts nothing
    const replay = await h.request('POST', '/api/v1/webhooks/github', good.body, good.headers);
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: { code: 'SLW_ERR_WEBHOOK_DUPLICATE' } });
    // AND a redelivery of the same push under a new id does not start a second run
    const again = push('refs/heads/main', sha, 'delivery-2');
    const dup = await h.request('POST', '/api/v1/webhooks/github', again.body, again.headers);
    expect(dup.status).toBe(202);
    expect(dup.body.ignored).toMatch(/already started/);
    // AND a push to a branch outside the trigger is acknowledged and ignored
    const feature = push('refs/heads/feature/x', sha, 'delivery-3');
    expect((await h.request('POST', '/api/v1/webhooks/github', feature.body, feature.headers)).body.ignored).toMatch(/does not match/);
    expect(h.events.list({ type: 'pipeline.run.started' })).toHaveLength(1);
  });

  it('accepts a form-encoded push and answers ping', async () => {
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const sha = await h.git('rev-parse', 'HEAD');
    // GIVEN GitHub's application/x-www-form-urlencoded format, signed over the encoded body
    const body = `payload=${encodeURIComponent(JSON.stringify({ ref: 'refs/heads/main', after: sha }))}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-github-delivery': 'form-1', 'x-hub-signature-256': signGithubPayload(SECRET, body) };
    // WHEN it arrives THEN a run starts
    const res = await h.request('POST', '/api/v1/webhooks/github', body, headers);
    expect(res.status).toBe(202);
    expect(res.body.runId).toBeTypeOf('number');
    const pingBody = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const ping = await h.request('POST', '/api/v1/webhooks/github', pingBody, { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'ping-1', 'x-hub-signature-256': signGithubPayload(SECRET, pingBody) });
    expect(ping).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('GitFlow: develop runs up to staging, hotfix/* waits for an approval, tags run everything', async () => {
    // GIVEN the GitFlow preset, a v* tag filter and a pipeline without an approval stage, runs in
    // PARALLEL (in SUPERSEDED mode the newest of the four runs would supersede the others, as in CodePipeline)
    h = await pipelineHarness({
      pipeline: {
        trigger: { preset: 'gitflow', tags: ['v*'] },
        executionMode: 'PARALLEL',
        stages: [
          { name: 'Build', actions: [{ type: 'invoke', command: 'true' }] },
          { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
          { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
        ],
      },
    });
    await h.commit({ 'd.txt': 'dev' }, 'dev work', 'develop');
    await h.commit({ 'h.txt': 'fix' }, 'urgent fix', 'hotfix/login');
    await h.commit({ 'f.txt': 'feature' }, 'feature', 'feature/ignored');
    await h.git('tag', '-a', 'v1.0.0', '-m', 'release');
    // WHEN the repository is polled
    await h.pipelines.pollNow();
    // THEN main, develop, hotfix/login and v1.0.0 each started a run with their own stages
    const runs = h.pipelines.listRuns();
    const byRef = new Map<string, PipelineRunSummaryDto>(runs.map((r) => [r.ref ?? '', r]));
    expect([...byRef.keys()].sort()).toEqual(['refs/heads/develop', 'refs/heads/hotfix/login', 'refs/heads/main', 'refs/tags/v1.0.0']);
    const stages = (ref: string) => byRef.get(ref)!.stages.map((s) => s.name);
    expect(stages('refs/heads/main')).toEqual(['Build', 'Staging', 'Production']);
    expect(stages('refs/heads/develop')).toEqual(['Build', 'Staging']);
    expect(stages('refs/heads/hotfix/login')).toEqual(['Build', 'Staging', 'HotfixApproval', 'Production']);
    expect(stages('refs/tags/v1.0.0')).toEqual(['Build', 'Staging', 'Production']);
    // AND the hotfix run waits for its approval
    const hotfix = byRef.get('refs/heads/hotfix/login')!;
    await h.waitFor((e) => e.type === 'pipeline.approval.requested' && e.subject === `pipeline-run/${hotfix.id}`);
    expect(h.pipelines.getRun(hotfix.id).stages[2]!.actions[0]!.status).toBe('Waiting');
  });

  it('starts a run by hand through the API, for a revision or a branch', async () => {
    h = await pipelineHarness({ pipeline: quick });
    const first = await h.git('rev-parse', 'HEAD');
    const second = await h.commit({ 'c.txt': 'three' });
    // WHEN runs are started for the older sha and for the branch
    const bySha = await h.request('POST', '/api/v1/pipeline/runs', { revision: first });
    const byBranch = await h.request('POST', '/api/v1/pipeline/runs', {});
    const unknown = await h.request('POST', '/api/v1/pipeline/runs', { revision: 'no-such-branch' });
    // THEN each runs its commit, and an unknown revision is a 404
    expect(bySha).toMatchObject({ status: 201, body: { commitSha: first, trigger: 'manual', branch: 'main' } });
    expect(byBranch).toMatchObject({ status: 201, body: { commitSha: second, ref: 'refs/heads/main' } });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'SLW_ERR_PIPELINE_REVISION_NOT_FOUND' } } });
    await h.waitForEnd(bySha.body.id as number);
    await h.waitForEnd(byBranch.body.id as number);
    const list = await h.request('GET', '/api/v1/pipeline/runs?status=Succeeded');
    expect((list.body.runs as unknown[]).length).toBe(2);
  });
});
