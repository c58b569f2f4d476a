// Issue 12, finding 3: commit messages, branch names, tag names and webhook fields reached
// `/bin/sh -c` pasted into invoke commands. Each case runs a real pipeline over a real git
// repository and checks that no payload ran and that every value reached the command intact.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { signGithubPayload } from '../../src/pipelines/index.js';
import type { PipelineDefinition } from '../../src/shared/index.js';
import { buildspec, pipelineHarness, type Harness } from '../integration/pipelines-harness.js';
import { tempDir } from '../support/temp-dir.js';

/** The usual payloads, as the finding lists them. */
const PAYLOADS = ['$(touch pwned)', '`touch pwned`', '; touch pwned', 'a\ntouch pwned', 'feat$(touch${IFS}pwned)', "'; touch pwned; '", '"$(touch pwned)"'];
/** Variants without spaces, so that more of them are names git accepts for branches and tags. */
const NAME_PAYLOADS = [...PAYLOADS, 'x;touch${IFS}pwned', 'x`touch${IFS}pwned`', "x'$(touch${IFS}pwned)'", 'x"$(touch${IFS}pwned)"', 'x|touch${IFS}pwned', 'x&&touch${IFS}pwned'];
const SECRET = 'webhook-secret-for-tests';

let h: Harness | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

/** Every file named `pwned` under `dir`. */
function findPwned(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => path.basename(f) === 'pwned').map((f) => path.join(dir, f));
}

/** Asserts that no payload ran: no `pwned` in the test's folder (repository, data, workspaces, outputs) or the working directory. */
function expectNothingRan(root: string): void {
  expect(findPwned(root)).toEqual([]);
  expect(fs.existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
}

/** The names git accepts (or, with `accepted` false, refuses) as branch or tag names, asking git itself. */
async function gitAccepts(names: readonly string[], accepted = true): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) if (((await exec('git', ['check-ref-format', `refs/heads/${n}`])).code === 0) === accepted) out.push(n);
  return out;
}

/**
 * An invoke action writing `#{SourceVariables.<name>}` in each quoting context a command may put
 * it in: bare, inside double quotes, inside single quotes, and through `echo` — plus a build
 * whose buildspec reads the same value from its environment variable.
 */
function echoPipeline(out: string, name: string): PipelineDefinition {
  const ref = `#{SourceVariables.${name}}`;
  const dir = `${out}/#{codepipeline.PipelineExecutionId}`;
  return {
    trigger: { branches: ['**'], tags: ['**'] },
    executionMode: 'PARALLEL',
    stages: [
      {
        name: 'Echo',
        actions: [
          { type: 'invoke', name: 'echo', command: `mkdir -p ${dir} && printf '%s' ${ref} > ${dir}/bare && printf '%s' "v=${ref}." > ${dir}/dq && printf '%s' 'v=${ref}.' > ${dir}/sq && echo ${ref} > ${dir}/echo` },
          { type: 'build', name: 'build', runOrder: 2 },
        ],
      },
    ],
  };
}

const buildFiles = (out: string, name: string) => ({
  'buildspec.yml': buildspec([`printf '%s' "$SLIPWAY_VAR_SourceVariables_${name}" > ${out}/$SLIPWAY_VAR_codepipeline_PipelineExecutionId/env`]),
});

/** Asserts that run `runId` succeeded and every output file holds exactly `value`. */
function expectIntact(out: string, runId: number, value: string): void {
  const read = (f: string) => fs.readFileSync(path.join(out, String(runId), f), 'utf8');
  expect({ bare: read('bare'), dq: read('dq'), sq: read('sq'), echo: read('echo'), env: read('env') }).toEqual({ bare: value, dq: `v=${value}.`, sq: `v=${value}.`, echo: `${value}\n`, env: value });
}

describe('shell injection through pipeline variables', () => {
  it('commit messages reach invoke commands and builds as values, never as shell code', async () => {
    // GIVEN a pipeline echoing #{SourceVariables.CommitMessage}, and one branch per payload whose head carries it as its message
    tmp = tempDir('slipway-sec-');
    const out = path.join(tmp.path, 'out');
    h = await pipelineHarness({ pipeline: echoPipeline(out, 'CommitMessage'), files: buildFiles(out, 'CommitMessage'), parentDir: tmp.path });
    for (const [i, payload] of PAYLOADS.entries()) await h.commit({ [`m${i}.txt`]: payload }, payload, `m${i}`);
    // WHEN the repository is polled and every run ends
    await h.pipelines.pollNow();
    const runs = h.pipelines.listRuns().filter((r) => /^refs\/heads\/m\d+$/.test(r.ref ?? ''));
    expect(runs).toHaveLength(PAYLOADS.length);
    const ended = await Promise.all(runs.map((r) => h!.waitForEnd(r.id)));
    // THEN no payload ran anywhere
    expectNothingRan(tmp.path);
    // AND each run succeeded and wrote git's subject line of the message, byte for byte
    for (const run of ended) {
      const subject = await h.git('log', '-1', '--format=%s', run.commitSha);
      expect(run.commitMessage).toBe(subject);
      expect(run.status, `run ${run.id} (${JSON.stringify(subject)})`).toBe('Succeeded');
      expectIntact(out, run.id, subject);
    }
  });

  it('branch names git accepts reach commands intact and run nothing', async () => {
    // GIVEN a pipeline echoing #{SourceVariables.BranchName} and a branch named after each payload git accepts
    tmp = tempDir('slipway-sec-');
    const out = path.join(tmp.path, 'out');
    h = await pipelineHarness({ pipeline: echoPipeline(out, 'BranchName'), files: buildFiles(out, 'BranchName'), parentDir: tmp.path });
    const names = await gitAccepts(NAME_PAYLOADS);
    expect(names).toEqual(expect.arrayContaining(['feat$(touch${IFS}pwned)', 'x;touch${IFS}pwned', 'x`touch${IFS}pwned`']));
    for (const n of names) await h.git('branch', n);
    // WHEN the repository is polled
    await h.pipelines.pollNow();
    const runs = names.map((n) => h!.pipelines.listRuns().find((x) => x.ref === `refs/heads/${n}`));
    expect(runs.every((r) => r !== undefined)).toBe(true);
    const ended = await Promise.all(runs.map((r) => h!.waitForEnd(r!.id)));
    // THEN no payload ran
    expectNothingRan(tmp.path);
    // AND every branch ran, succeeded, and its name arrived as it is
    for (const [i, run] of ended.entries()) {
      expect(run.status, names[i]).toBe('Succeeded');
      expectIntact(out, run.id, names[i]!);
    }
  });

  it('tag names git accepts reach commands intact and run nothing', async () => {
    // GIVEN a pipeline echoing #{SourceVariables.TagName} and an annotated tag named after each payload git accepts
    tmp = tempDir('slipway-sec-');
    const out = path.join(tmp.path, 'out');
    h = await pipelineHarness({ pipeline: { ...echoPipeline(out, 'TagName'), trigger: { branches: ['no-branch'], tags: ['**'] } }, files: buildFiles(out, 'TagName'), parentDir: tmp.path });
    const names = await gitAccepts(NAME_PAYLOADS);
    for (const n of names) await h.git('tag', '-a', n, '-m', n);
    // WHEN the repository is polled
    await h.pipelines.pollNow();
    const runs = h.pipelines.listRuns();
    expect(runs.map((r) => r.ref).sort()).toEqual(names.map((n) => `refs/tags/${n}`).sort());
    const ended = await Promise.all(runs.map((r) => h!.waitForEnd(r.id)));
    // THEN no payload ran
    expectNothingRan(tmp.path);
    // AND every tag ran and its name arrived as it is
    for (const run of ended) {
      expect(run.status, run.ref).toBe('Succeeded');
      expectIntact(out, run.id, run.ref!.slice('refs/tags/'.length));
    }
  });

  it('webhook fields (ref, head_commit.message, pusher, PR title) run nothing; refs git refuses are rejected at the boundary', async () => {
    // GIVEN a webhook-triggered pipeline echoing the branch name and the commit message
    tmp = tempDir('slipway-sec-');
    const out = path.join(tmp.path, 'out');
    const echo = echoPipeline(out, 'BranchName');
    const message = { type: 'invoke' as const, name: 'message', runOrder: 2, command: `printf '%s' #{SourceVariables.CommitMessage} > ${out}/#{codepipeline.PipelineExecutionId}/message` };
    const pipeline: PipelineDefinition = { ...echo, stages: [{ name: 'Echo', actions: [echo.stages[0]!.actions[0]!, message] }] };
    h = await pipelineHarness({ pipeline, webhookSecret: SECRET, parentDir: tmp.path });
    const send = async (event: string, delivery: string, payload: Record<string, unknown>) => {
      const body = JSON.stringify(payload);
      return h!.request('POST', '/api/v1/webhooks/github', body, { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signGithubPayload(SECRET, body) });
    };
    const decoration = (p: string) => ({ head_commit: { message: p, author: { name: p } }, pusher: { name: p, email: p }, sender: { login: p }, repository: { full_name: p } });

    // WHEN pushes arrive whose ref carries a payload git refuses as a ref name (or a refspec, or a path trick)
    const sha = await h.git('rev-parse', 'HEAD');
    const candidates = [...PAYLOADS, 'a:refs/heads/main', '+refs/heads/main', 'x/../../main', 'x.lock', '.hidden', 'x@{1}', 'x~1', 'x^', 'x y', 'x\\y', 'x//y', 'x/', 'x.'];
    const invalid = await gitAccepts(candidates, false);
    expect(invalid).toEqual(expect.arrayContaining(PAYLOADS.filter((p) => p.includes(' ') || p.includes('\n'))));
    for (const [i, p] of invalid.entries()) {
      const res = await send('push', `bad-${i}`, { ref: `refs/heads/${p}`, after: sha, before: '0'.repeat(40), ...decoration(p) });
      // THEN each is a 400 naming the field, and starts nothing
      expect(res, p).toMatchObject({ status: 400, body: { error: { code: 'SLW_ERR_WEBHOOK_INVALID', issues: [{ path: 'body.ref' }] } } });
    }
    expect(h.events.list({ type: 'pipeline.run.started' })).toHaveLength(0);

    // WHEN pushes arrive for refs git accepts, each for a new commit whose message and every other field carry a payload
    const accepted = await gitAccepts(NAME_PAYLOADS);
    for (const [i, name] of accepted.entries()) {
      const text = PAYLOADS[i % PAYLOADS.length]!;
      const commit = await h.commit({ [`w${i}.txt`]: text }, text);
      const res = await send('push', `good-${i}`, { ref: `refs/heads/${name}`, after: commit, before: '0'.repeat(40), ...decoration(text) });
      expect(res.status, name).toBe(202);
      const run = await h.waitForEnd(res.body.runId as number);
      // THEN the run succeeded with the branch name and git's subject line as they are
      expect(run.status, name).toBe('Succeeded');
      const subject = await h.git('log', '-1', '--format=%s', commit);
      expect(fs.readFileSync(path.join(out, String(run.id), 'bare'), 'utf8')).toBe(name);
      expect(fs.readFileSync(path.join(out, String(run.id), 'sq'), 'utf8')).toBe(`v=${name}.`);
      expect(fs.readFileSync(path.join(out, String(run.id), 'message'), 'utf8')).toBe(subject);
    }

    // WHEN pull request events arrive with payloads in the title and the head branch
    for (const [i, p] of PAYLOADS.entries()) {
      const res = await send('pull_request', `pr-${i}`, { action: 'opened', number: i + 1, pull_request: { title: p, body: p, head: { ref: p, sha }, base: { ref: 'main' } }, ...decoration(p) });
      // THEN they are acknowledged and start nothing
      expect(res, p).toMatchObject({ status: 202, body: { ignored: 'event pull_request does not start runs' } });
    }
    expect(h.events.list({ type: 'pipeline.run.started' })).toHaveLength(accepted.length);
    expectNothingRan(tmp.path);
  });

  it('a branch pushed to origin under a payload name is fetched as an argument, never through a shell', async () => {
    // GIVEN an origin repository with a branch named after a payload, holding a commit the local repository lacks
    tmp = tempDir('slipway-sec-');
    const out = path.join(tmp.path, 'out');
    h = await pipelineHarness({ pipeline: echoPipeline(out, 'BranchName'), files: buildFiles(out, 'BranchName'), webhookSecret: SECRET, parentDir: tmp.path });
    const origin = path.join(tmp.path, 'origin.git');
    const other = path.join(tmp.path, 'other');
    const git = async (cwd: string, ...args: string[]) => {
      const r = await exec('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'commit.gpgsign=false', ...args], { cwd });
      if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    await git(tmp.path, 'clone', '--quiet', '--bare', h.repo, origin);
    await h.git('remote', 'add', 'origin', origin);
    await git(tmp.path, 'clone', '--quiet', origin, other);
    const name = 'feat$(touch${IFS}pwned)';
    await git(other, 'checkout', '--quiet', '-b', name);
    await git(other, 'commit', '--quiet', '--allow-empty', '-m', '$(touch pwned)');
    await git(other, 'push', '--quiet', 'origin', name);
    const sha = await git(other, 'rev-parse', 'HEAD');
    expect((await exec('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: h.repo })).code).not.toBe(0);
    // WHEN GitHub reports the push
    const body = JSON.stringify({ ref: `refs/heads/${name}`, after: sha, before: '0'.repeat(40) });
    const res = await h.request('POST', '/api/v1/webhooks/github', body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'origin-1', 'x-hub-signature-256': signGithubPayload(SECRET, body) });
    // THEN the commit is fetched, the run succeeds with the name intact, and nothing ran
    expect(res.status).toBe(202);
    const run = await h.waitForEnd(res.body.runId as number);
    expect(run).toMatchObject({ status: 'Succeeded', commitSha: sha, branch: name });
    expectIntact(out, run.id, name);
    expectNothingRan(tmp.path);
  });
});
