// Issue 12, finding 5: GitHub's signature covers the body but not X-GitHub-Delivery, so an old
// signed push re-sent under a new delivery id re-ran an old commit. Through the real route, with
// real HMAC signatures, over a real repository.
import { afterEach, describe, expect, it } from 'vitest';
import { signGithubPayload } from '../../src/pipelines/index.js';
import { pipelineHarness, type Harness } from '../integration/pipelines-harness.js';

const SECRET = 'webhook-secret-for-tests';
const quick = { trigger: { branches: ['main'] }, executionMode: 'PARALLEL' as const, stages: [{ name: 'Build', actions: [{ type: 'invoke' as const, command: 'true' }] }] };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A push body for `after` on `ref`, signed with the secret, exactly as GitHub sends it. */
function signedPush(after: string, before = '0'.repeat(40), ref = 'refs/heads/main', extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ ref, before, after, deleted: false, created: false, forced: false, repository: { full_name: 'acme/demo' }, pusher: { name: 'dev' }, ...extra });
  return { body, signature: signGithubPayload(SECRET, body) };
}

async function deliver(push: { body: string; signature: string }, delivery: string) {
  return h!.request('POST', '/api/v1/webhooks/github', push.body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': push.signature });
}

const runsStarted = () => h!.events.list({ type: 'pipeline.run.started' });

describe('webhook replay', () => {
  it('a signed push re-sent under a new delivery id starts no run; the same delivery id twice starts one', async () => {
    // GIVEN a webhook-triggered pipeline and a commit pushed to main
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const sha = await h.commit({ 'a.txt': 'one' }, 'one');
    const push = signedPush(sha);
    // WHEN the push arrives, then the same delivery again, then the same signed body under new ids
    const first = await deliver(push, 'd-1');
    const sameId = await deliver(push, 'd-1');
    const newIds = await Promise.all(['d-2', 'd-3', 'd-4'].map((id) => deliver(push, id)));
    // THEN exactly one run started
    expect(first.status).toBe(202);
    expect(first.body.runId).toBeTypeOf('number');
    expect(sameId).toMatchObject({ status: 409, body: { error: { code: 'SLW_ERR_WEBHOOK_DUPLICATE' } } });
    for (const r of newIds) expect(r).toMatchObject({ status: 202, body: { reason: 'SameHead' } });
    expect(runsStarted()).toHaveLength(1);
  });

  it('an older commit\'s push after a newer one starts no run; a new commit starts one', async () => {
    // GIVEN pushes of two commits, in order, each of which ran
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const c1 = await h.commit({ 'a.txt': 'one' }, 'one');
    const c2 = await h.commit({ 'a.txt': 'two' }, 'two');
    const old = signedPush(c1);
    expect((await deliver(old, 'p-1')).body.runId).toBeTypeOf('number');
    expect((await deliver(signedPush(c2, c1), 'p-2')).body.runId).toBeTypeOf('number');
    const seq = h.events.lastSeq();
    // WHEN the first push is replayed under a fresh delivery id
    const replay = await deliver(old, 'p-1-replayed');
    // THEN it is acknowledged (GitHub shows a 2xx as delivered) but starts nothing, and says why
    expect(replay).toMatchObject({ status: 202, body: { reason: 'AlreadyBuilt', ignored: `${c1} was already built for refs/heads/main` } });
    expect(runsStarted()).toHaveLength(2);
    expect(h.events.list({ afterSeq: seq, type: 'pipeline.trigger.refused' }).map((e) => e.data)).toEqual([
      { trigger: 'webhook', ref: 'refs/heads/main', commitSha: c1, recordedHead: c2, reason: 'AlreadyBuilt', message: `${c1} was already built for refs/heads/main` },
    ]);

    // WHEN two commits land but only the push of the second arrives, then the first one's (late, or replayed from elsewhere)
    const c3 = await h.commit({ 'a.txt': 'three' }, 'three');
    const c4 = await h.commit({ 'a.txt': 'four' }, 'four');
    expect((await deliver(signedPush(c4, c2), 'p-4')).body.runId).toBeTypeOf('number');
    const late = await deliver(signedPush(c3, c2), 'p-3');
    // THEN the older commit, never built, is still refused: it is not newer than the head
    expect(late).toMatchObject({ status: 202, body: { reason: 'NotNewer' } });
    expect(runsStarted()).toHaveLength(3);

    // WHEN a new commit is pushed
    const c5 = await h.commit({ 'a.txt': 'five' }, 'five');
    const fresh = await deliver(signedPush(c5, c4), 'p-5');
    // THEN it starts one run, of that commit
    expect(fresh.status).toBe(202);
    const run = await h.waitForEnd(fresh.body.runId as number);
    expect(run).toMatchObject({ status: 'Succeeded', trigger: 'webhook', commitSha: c5 });
    expect(runsStarted().map((e) => e.data.commitSha)).toEqual([c1, c2, c4, c5]);
  });

  it('a force-push to a commit never built runs; replays of the rewritten history do not', async () => {
    // GIVEN main at c2, built, then rewritten to c2' (a sibling of c2) and force-pushed
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const c1 = await h.commit({ 'a.txt': 'one' }, 'one');
    const c2 = await h.commit({ 'a.txt': 'two' }, 'two');
    expect((await deliver(signedPush(c1), 'f-1')).body.runId).toBeTypeOf('number');
    const pushC2 = signedPush(c2, c1);
    expect((await deliver(pushC2, 'f-2')).body.runId).toBeTypeOf('number');
    await h.git('reset', '--quiet', '--hard', c1);
    const rewritten = await h.commit({ 'a.txt': 'two, again' }, 'two, rewritten');
    // WHEN the force-push arrives
    const forced = await deliver(signedPush(rewritten, c2, 'refs/heads/main', { forced: true }), 'f-3');
    // THEN it runs the new history
    expect(forced.body.runId).toBeTypeOf('number');
    // WHEN the pushes of the old history are replayed
    const again = await deliver(pushC2, 'f-2-replayed');
    const older = await deliver(signedPush(c1), 'f-1-replayed');
    // THEN neither runs: both were built before
    expect(again.body).toMatchObject({ reason: 'AlreadyBuilt' });
    expect(older.body).toMatchObject({ reason: 'AlreadyBuilt' });
    expect(runsStarted().map((e) => e.data.commitSha)).toEqual([c1, c2, rewritten]);
  });

  it('a replayed deletion of an old head forgets nothing, so an older push stays refused', async () => {
    // GIVEN main pushed at c1, deleted, recreated at c2 and pushed
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const c1 = await h.commit({ 'a.txt': 'one' }, 'one');
    const c2 = await h.commit({ 'a.txt': 'two' }, 'two');
    const c3 = await h.commit({ 'a.txt': 'three' }, 'three');
    expect((await deliver(signedPush(c1), 'x-1')).body.runId).toBeTypeOf('number');
    const deletion = (() => {
      const body = JSON.stringify({ ref: 'refs/heads/main', before: c1, after: '0'.repeat(40), deleted: true });
      return { body, signature: signGithubPayload(SECRET, body) };
    })();
    expect((await deliver(deletion, 'x-2')).body).toEqual({ ignored: 'refs/heads/main was deleted' });
    expect((await deliver(signedPush(c3), 'x-3')).body.runId).toBeTypeOf('number');
    // WHEN the old deletion is replayed, then a push of c2 (an ancestor of c3, never built)
    const replayedDeletion = await deliver(deletion, 'x-2-replayed');
    const older = await deliver(signedPush(c2, c1), 'x-4');
    // THEN the deletion changed nothing and c2 does not run
    expect(replayedDeletion.body).toMatchObject({ reason: 'StaleDeletion' });
    expect(older.body).toMatchObject({ reason: 'NotNewer' });
    expect(runsStarted().map((e) => e.data.commitSha)).toEqual([c1, c3]);
  });

  it('a delivery whose handling failed can be redelivered under the same id', async () => {
    // GIVEN a push naming a commit the repository does not have (and no origin to fetch it from)
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const missing = signedPush('f'.repeat(40));
    // WHEN it arrives twice under the same id (GitHub's "Redeliver" keeps the id)
    const first = await deliver(missing, 'r-1');
    const redelivered = await deliver(missing, 'r-1');
    // THEN both are handled (404 each), not refused as a duplicate, and nothing runs
    expect(first).toMatchObject({ status: 404, body: { error: { code: 'SLW_ERR_PIPELINE_REVISION_NOT_FOUND' } } });
    expect(redelivered).toMatchObject({ status: 404, body: { error: { code: 'SLW_ERR_PIPELINE_REVISION_NOT_FOUND' } } });
    expect(runsStarted()).toHaveLength(0);
  });

  it('a poll does not run an older local head after a webhook recorded a newer one', async () => {
    // GIVEN a webhook that ran c2 while the local branch still points at c1 (polling also on)
    h = await pipelineHarness({ pipeline: quick, webhookSecret: SECRET });
    const c1 = await h.commit({ 'a.txt': 'one' }, 'one');
    const c2 = await h.commit({ 'a.txt': 'two' }, 'two');
    await h.git('reset', '--quiet', '--hard', c1);
    expect((await deliver(signedPush(c2, c1), 'l-1')).body.runId).toBeTypeOf('number');
    // WHEN the repository is polled
    await h.pipelines.pollNow();
    await h.pipelines.pollNow();
    // THEN c1 (behind c2) starts no run
    expect(runsStarted().map((e) => e.data.commitSha)).toEqual([c2]);
    expect(h.events.list({ type: 'pipeline.trigger.refused' }).map((e) => e.data)).toMatchObject([{ trigger: 'poll', commitSha: c1, reason: 'NotNewer' }]);
  });
});
