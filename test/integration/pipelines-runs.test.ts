import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineActionDto, PipelineRunDto } from '../../src/shared/index.js';
import { FakeDeployer, buildspec, pipelineHarness, type Harness } from './pipelines-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const action = (run: PipelineRunDto, stage: string, name: string): PipelineActionDto => {
  const a = run.stages.find((s) => s.name === stage)?.actions.find((x) => x.name === name);
  if (!a) throw new Error(`no action ${stage}.${name} in run ${run.id}`);
  return a;
};

describe('pipeline runs', () => {
  it('runs actions with the same runOrder in parallel, lower runOrder first', async () => {
    // GIVEN a stage with two slow actions at runOrder 1 and one at runOrder 2
    h = await pipelineHarness({
      pipeline: {
        stages: [
          {
            name: 'Checks',
            actions: [
              { type: 'invoke', name: 'a', command: 'sleep 0.4', runOrder: 1 },
              { type: 'invoke', name: 'b', command: 'sleep 0.4', runOrder: 1 },
              { type: 'invoke', name: 'c', command: 'true', runOrder: 2 },
            ],
          },
        ],
      },
    });
    // WHEN a run goes through it
    const started = await h.pipelines.run();
    const run = await h.waitForEnd(started.id);
    // THEN a and b overlap in time and c starts after both ended
    expect(run.status).toBe('Succeeded');
    const [a, b, c] = ['a', 'b', 'c'].map((n) => action(run, 'Checks', n));
    expect(a!.startedAtMs!).toBeLessThan(b!.endedAtMs!);
    expect(b!.startedAtMs!).toBeLessThan(a!.endedAtMs!);
    expect(c!.startedAtMs!).toBeGreaterThanOrEqual(Math.max(a!.endedAtMs!, b!.endedAtMs!));
  });

  it('passes the build artifact to the deploy action, unpacked, and resolves pipeline variables', async () => {
    // GIVEN a build that writes dist/app.txt and exports VERSION, then a deploy and an invoke using #{build.VERSION}
    const deployer = new FakeDeployer();
    let seenFile: string | undefined;
    deployer.answer = (req) => {
      seenFile = fs.readFileSync(path.join(req.sourceDir, 'dist/app.txt'), 'utf8');
      return { status: 'Succeeded', deploymentIds: ['dep-1'] };
    };
    h = await pipelineHarness({
      deployer,
      files: {
        'buildspec.yml': buildspec(['mkdir -p dist', 'echo "built $CODEBUILD_RESOLVED_SOURCE_VERSION" > dist/app.txt', 'export VERSION=v-$(echo $CODEBUILD_RESOLVED_SOURCE_VERSION | cut -c1-7)'], 'env:\n  exported-variables:\n    - VERSION\nartifacts:\n  files:\n    - dist/**/*\n'),
      },
      pipeline: {
        stages: [
          { name: 'Build', actions: [{ type: 'build' }] },
          { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
          { name: 'Smoke', actions: [{ type: 'invoke', name: 'smoke', command: 'echo "smoke #{build.VERSION} on #{SourceVariables.BranchName}"' }] },
        ],
      },
    });
    // WHEN a run goes through it
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN the deployer got the unpacked artifact of this commit and the variable was resolved
    expect(run.status).toBe('Succeeded');
    expect(run.artifact).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(seenFile).toBe(`built ${run.commitSha}\n`);
    const call = (deployer.calls[0])!;
    expect(call).toMatchObject({ environment: 'staging', service: undefined, revision: run.commitSha.slice(0, 12), runId: run.id, artifact: run.artifact, rollback: false });
    // (the command reads the values from its environment: they are never part of the text the shell parses)
    expect(action(run, 'Smoke', 'smoke').configuration.command).toBe('echo "smoke ${SLIPWAY_VAR_build_VERSION} on ${SLIPWAY_VAR_SourceVariables_BranchName}"');
    const logs = await h.pipelines.logs(run.id, { action: 'Smoke.smoke' });
    expect(logs.lines.map((l) => l.line)).toContain(`smoke v-${run.commitSha.slice(0, 7)} on main`);
    // AND the artifact API finds it by digest and by commit tag
    const byTag = await h.request('GET', `/api/v1/artifacts/demo:${run.commitSha}`);
    expect(byTag.status).toBe(200);
    expect(byTag.body.digest).toBe(run.artifact);
  });

  it('fails the run when a test fails, with the test report counts', async () => {
    // GIVEN a test build whose JUnit report has one failure and whose test command exits 1
    const junit = '<testsuite name="unit" tests="3" failures="1"><testcase name="a"/><testcase name="b"/><testcase name="c"><failure message="boom"/></testcase></testsuite>';
    h = await pipelineHarness({
      files: { 'buildspec.yml': buildspec(['mkdir -p reports', `printf '%s' '${junit}' > reports/junit.xml`, 'echo "1 test failed"; exit 1'], 'reports:\n  unit:\n    files:\n      - reports/junit.xml\n') },
      pipeline: { stages: [{ name: 'Test', actions: [{ type: 'build', name: 'unit' }] }, { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }] },
    });
    // WHEN a run goes through it
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN the run failed at Test, counted the tests, and never deployed
    expect(run.status).toBe('Failed');
    expect(run.reason).toMatch(/^stage Test: unit: COMMAND_EXECUTION_ERROR/);
    expect(run.tests).toEqual({ total: 3, failures: 1, errors: 0, skipped: 0 });
    expect(run.stages.map((s) => s.status)).toEqual(['Failed', 'Pending']);
    expect((h.deployer as FakeDeployer).calls).toHaveLength(0);
    const api = await h.request('GET', `/api/v1/pipeline/runs/${run.id}`);
    expect(api.body).toMatchObject({ status: 'Failed', tests: { total: 3, failures: 1 } });
  });

  it('fails the scan action on a planted secret', async () => {
    // GIVEN a commit with an AWS access key in a config file
    h = await pipelineHarness({
      files: { 'config/prod.env': 'AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n', 'README.md': 'hello\n' },
      pipeline: { stages: [{ name: 'Test', actions: [{ type: 'scan', name: 'secrets' }] }] },
    });
    // WHEN it is scanned
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN the scan action failed, naming the file and rule without the secret
    expect(run.status).toBe('Failed');
    const scan = action(run, 'Test', 'secrets');
    expect(scan.status).toBe('Failed');
    expect(scan.output.findings).toEqual([expect.objectContaining({ file: 'config/prod.env', line: 1, rule: 'aws-access-key-id' })]);
    const logs = await h.pipelines.logs(run.id);
    expect(logs.lines.some((l) => l.line.includes('config/prod.env:1'))).toBe(true);
    expect(JSON.stringify(logs)).not.toContain('AKIAQWERTYUIOPASDFGH');
  });

  it('masks secrets in stored logs of builds and invoke actions', async () => {
    // GIVEN a secret in the store that a build reads and an invoke command prints
    const secret = 'hunter2-very-secret-value';
    h = await pipelineHarness({
      secrets: { 'demo/token': secret },
      files: { 'buildspec.yml': buildspec(['echo "token is $TOKEN"'], 'env:\n  secrets-manager:\n    TOKEN: demo/token\n') },
      pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build' }, { type: 'invoke', name: 'leak', command: `echo "leaking ${secret} here" >&2` }] }] },
    });
    // WHEN a run prints it
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN no stored line contains it, and the lines are there masked
    expect(run.status).toBe('Succeeded');
    const rows = h.db.prepare<[], { line: string }>('SELECT line FROM pipeline_logs').all().map((r) => r.line);
    expect(rows.join('\n')).not.toContain(secret);
    expect(rows).toContain('token is ***');
    expect(rows).toContain('leaking *** here');
  });

  it('retries a failing action as configured and times out a slow one', async () => {
    // GIVEN an invoke that fails on its first attempt only, and one that outlives its timeout
    h = await pipelineHarness({
      pipeline: {
        stages: [
          { name: 'Flaky', actions: [{ type: 'invoke', name: 'flaky', retries: 1, command: 'if [ -f .flaky ]; then exit 0; else touch .flaky; exit 3; fi' }] },
          { name: 'Slow', actions: [{ type: 'invoke', name: 'slow', timeout: '500ms', command: 'sleep 20' }] },
        ],
      },
    });
    // WHEN a run goes through them
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN flaky succeeded on attempt 2 and slow failed on its timeout
    expect(action(run, 'Flaky', 'flaky')).toMatchObject({ status: 'Succeeded', attempt: 2 });
    expect(action(run, 'Slow', 'slow')).toMatchObject({ status: 'Failed', reason: 'the action did not finish within 500 ms' });
    expect(run.status).toBe('Failed');
    expect(action(run, 'Slow', 'slow').durationMs!).toBeLessThan(5_000);
  });

  it('stops a run on cancel and retries its failed stage on retry', async () => {
    // GIVEN a run stuck in a long action
    h = await pipelineHarness({
      pipeline: { stages: [{ name: 'First', actions: [{ type: 'invoke', name: 'ok', command: 'true' }] }, { name: 'Long', actions: [{ type: 'invoke', name: 'wait', command: 'test -f go || sleep 30' }] }] },
    });
    const started = await h.pipelines.run();
    await h.waitFor((e) => e.type === 'pipeline.action.started' && e.data.action === 'wait');
    // WHEN it is cancelled through the API
    const cancelled = await h.request('POST', `/api/v1/pipeline/runs/${started.id}/cancel`);
    // THEN it is Stopped at once, with the action Stopped
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('Stopped');
    const run = h.pipelines.getRun(started.id);
    expect(action(run, 'Long', 'wait').status).toBe('Stopped');
    // AND a retry runs only the stopped stage again
    fs.writeFileSync(path.join(h.repo, 'go'), '');
    const afterSeq = h.events.lastSeq();
    const retried = await h.request('POST', `/api/v1/pipeline/runs/${started.id}/retry`);
    expect(retried.status).toBe(200);
    const done = await h.waitForEnd(started.id, { afterSeq });
    expect(done.status).toBe('Succeeded');
    expect(action(done, 'First', 'ok').attempt).toBe(1);
    expect(action(done, 'Long', 'wait').attempt).toBe(2);
    // AND cancelling a finished run is a conflict
    expect((await h.request('POST', `/api/v1/pipeline/runs/${started.id}/cancel`)).status).toBe(409);
  });

  it('skips or fails a stage whose entry alarms are in ALARM', async () => {
    // GIVEN an alarm in ALARM guarding two stages, one SKIP and one FAIL
    h = await pipelineHarness({
      alarms: { stateOf: (name) => (name === 'errors' ? 'ALARM' : 'OK') },
      app: {
        name: 'demo',
        services: { web: { path: '.', start: 'node server.js' } },
        environments: { production: { ingressPort: 0 } },
        alarms: {
          errors: { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 1, evaluationPeriods: 1 },
          calm: { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 100, evaluationPeriods: 1 },
        },
        pipeline: {
          stages: [
            { name: 'Optional', beforeEntry: { alarms: ['errors'], result: 'SKIP' }, actions: [{ type: 'invoke', command: 'true' }] },
            { name: 'Guarded', beforeEntry: { alarms: ['calm', 'errors'] }, actions: [{ type: 'invoke', command: 'true' }] },
          ],
        },
      },
    });
    // WHEN a run reaches them
    const run = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN the SKIP stage is Skipped and the FAIL stage fails the run, naming the alarm
    expect(run.stages.map((s) => s.status)).toEqual(['Skipped', 'Failed']);
    expect(run.status).toBe('Failed');
    expect(run.reason).toBe('stage Guarded: entry condition: errors in ALARM');
  });

  it('rolls a failed deploy stage back to the last successful revision', async () => {
    // GIVEN a deploy stage with onFailure ROLLBACK that succeeded once
    const deployer = new FakeDeployer();
    h = await pipelineHarness({
      deployer,
      pipeline: { stages: [{ name: 'Production', onFailure: { result: 'ROLLBACK' }, actions: [{ type: 'deploy', environment: 'production' }] }] },
    });
    const first = await h.waitForEnd((await h.pipelines.run()).id);
    expect(first.status).toBe('Succeeded');
    // WHEN the next revision's deployment fails
    await h.commit({ 'x.txt': 'two' });
    deployer.answer = (req) => (req.rollback ? { status: 'Succeeded', deploymentIds: ['rb'] } : { status: 'RolledBack', deploymentIds: ['d2'], message: 'alarm gateway-5xx' });
    const second = await h.waitForEnd((await h.pipelines.run()).id);
    // THEN the stage redeployed the first run's revision and the run failed saying so
    expect(second.status).toBe('Failed');
    const rollback = deployer.calls.find((c) => c.rollback)!;
    expect(rollback).toMatchObject({ environment: 'production', revision: first.commitSha.slice(0, 12), runId: second.id });
    expect(second.stages[0]!.reason).toContain(`rolled back to ${first.commitSha.slice(0, 12)} (Succeeded)`);
    await h.waitFor((e) => e.type === 'pipeline.stage.rolled_back' && e.data.toRunId === first.id);
  });
});
