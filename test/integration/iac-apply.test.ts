import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { IacStateDto, PlanDto } from '../../src/shared/index.js';
import { slipway } from '../support/cli.js';
import { commitModel, git, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const PIPELINE = `{ trigger: { branches: ['main'] }, stages: [
    { name: 'Plan', actions: [{ type: 'plan' }] },
    { name: 'Approve', actions: [{ type: 'approval' }] },
    { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
    { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
  ] }`;

const base = (): FixtureModel => ({
  services: { web: { ingress: '/', min: 1, max: 3 }, api: { ingress: '/api' } },
  environments: { staging: {}, production: {} },
  pipeline: PIPELINE,
});

/**
 * The app model in git as the desired state: a commit's plan is the run's plan stage, an approval
 * sits between plan and apply, and each deploy stage applies its environment's part of it to the
 * running system — without a restart.
 */
describe('infrastructure as code through the pipeline (real git, real processes)', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  let pid: number;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  type Run = { id: number; status: string; commitSha: string; stages: { name: string; status: string; actions: { type: string; status: string; reason: string | null; output: Record<string, unknown> }[] }[] };
  // A run not created yet (the poll has not seen its commit) reads as one that has not started.
  const run = (id: number) => call<Run>('GET', `/api/v1/pipeline/runs/${id}`).catch(() => ({ id, status: 'Pending', commitSha: '', stages: [] }) as Run);
  /** Waits for a run to wait at its approval (or end), approves it, and waits for it to end. */
  const approveAndEnd = async (id: number): Promise<Run> => {
    const r = await waitFor(`run ${id} to wait or end`, async () => {
      const x = await run(id);
      return ['Waiting', 'Succeeded', 'Failed', 'Stopped'].includes(x.status) || x.stages.some((s) => s.actions.some((a) => a.status === 'Waiting')) ? x : undefined;
    }, 60_000).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message}: ${JSON.stringify(await run(id))}`);
    });
    if (r.status === 'Failed' || r.status === 'Succeeded') return r;
    await call('POST', `/api/v1/pipeline/runs/${id}/approve`, { by: 'reviewer' });
    return waitFor(`run ${id} to end`, async () => {
      const x = await run(id);
      return ['Succeeded', 'Failed', 'Stopped'].includes(x.status) ? x : undefined;
    }, 60_000);
  };
  /** The run of a commit, once the poll has started it. */
  const runOf = (sha: string) =>
    waitFor(`a run of ${sha.slice(0, 12)}`, async () => (await call<{ runs: { id: number; commitSha: string }[] }>('GET', '/api/v1/pipeline/runs')).runs.find((r) => r.commitSha === sha)?.id, 30_000);
  const serving = (environment: string, service: string) => cp.runtime!.environments.revisions.list({ environment, service }).filter((r) => r.weightPercent === 100);
  const liveTasks = (environment: string, service: string) => cp.runtime!.supervisor.listTasks({ states: ['Starting', 'Healthy'] }).filter((t) => t.environment === environment && t.service === service);
  const events = (type: string) => cp.events.list({ type, limit: 1000 }).filter((e) => e.type === type);

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    const fs = await import('node:fs');
    fs.mkdirSync(repo, { recursive: true });
    await commitModel(repo, base(), 'two services, two environments');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs: 200, driftIntervalMs: 60_000 });
    pid = process.pid;
    // The first run is of the commit slipway started: it plans no change.
    const first = await approveAndEnd(1);
    expect(first.status).toBe('Succeeded');
    expect(first.stages[0]!.actions[0]!.output.summary).toEqual({ add: 0, modify: 0, remove: 0 });
  }, 120_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('a commit adding an alarm, raising a minimum and switching a strategy plans exactly those changes, and applies them live after approval', async () => {
    const before = { web: serving('production', 'web')[0]!.revision, tasks: liveTasks('production', 'web').map((t) => t.id) };
    const m = base();
    m.alarms = { 'web-5xx': "{ service: 'web', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 1 }" };
    m.services.web!.min = 2;
    m.environments.production!.strategy = "{ type: 'canary', steps: [50, 100], interval: '1s' }";
    const sha = await commitModel(repo, m, 'web: an alarm, two tasks, a canary in production');

    // GIVEN the commit WHEN `slipway plan --ref HEAD` runs THEN it shows exactly the changes it makes, in order
    const cli = await slipway(['plan', '--ref', 'HEAD', '--json', '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    expect(cli.stderr).toBe('');
    const planned = JSON.parse(cli.stdout) as PlanDto;
    const expected = [
      ['Modify', 'env/production', 'in-place'],
      ['Modify', 'service/production/web', 'in-place'],
      ['Modify', 'service/staging/web', 'in-place'],
      ['Add', 'alarm/web-5xx', 'in-place'],
    ];
    expect(planned.changeSet.changes.map((c) => [c.action, c.resourceId, c.effect])).toEqual(expected);
    expect(planned.changeSet.changes[1]!.attributes).toEqual([{ path: 'scaling.min', old: 1, new: 2, effect: 'in-place' }]);
    expect(planned.changeSet.changes[0]!.attributes.map((a) => a.path)).toEqual(expect.arrayContaining(['strategy.kind']));
    expect(planned.commit).toBe(sha);

    // AND the run's plan stage holds the same change set; nothing is applied before the approval
    const id = await runOf(sha);
    const waiting = await waitFor('the run to wait for its approval', async () => {
      const x = await run(id);
      return x.stages[1]?.actions[0]?.status === 'Waiting' ? x : undefined;
    }, 60_000);
    const stage = waiting.stages[0]!.actions[0]!.output as { planId: number; plan: PlanDto['changeSet']; summary: unknown };
    expect(stage.plan.changes.map((c) => [c.action, c.resourceId, c.effect])).toEqual(expected);
    expect(stage.summary).toEqual({ add: 1, modify: 3, remove: 0 });
    // AND the change set is an artifact of the run
    const artifact = await call<{ service: string; commitSha: string; fileCount: number }>('GET', `/api/v1/artifacts/${(stage as { planArtifact?: string }).planArtifact}`);
    expect(artifact).toMatchObject({ service: 'fixture/plan', commitSha: sha, fileCount: 2 });
    expect(liveTasks('production', 'web')).toHaveLength(1);
    expect((await call<{ alarms: { name: string }[] }>('GET', '/api/v1/alarms')).alarms.map((a) => a.name)).not.toContain('web-5xx');

    // WHEN it is approved THEN the changes are live: two tasks of the same revision (nothing redeployed), the alarm, the strategy
    const ended = await approveAndEnd(id);
    expect(ended.status).toBe('Succeeded');
    expect(process.pid).toBe(pid);
    for (const env of ['staging', 'production']) {
      await waitFor(`two healthy web tasks in ${env}`, () => (liveTasks(env, 'web').filter((t) => t.state === 'Healthy').length === 2 ? true : undefined), 20_000);
      expect(serving(env, 'web').map((r) => r.desiredCount)).toEqual([2]);
    }
    expect(serving('production', 'web')[0]!.revision).toBe(before.web);
    expect(liveTasks('production', 'web').map((t) => t.id)).toEqual(expect.arrayContaining(before.tasks));
    const alarms = await call<{ alarms: { name: string; state: string }[] }>('GET', '/api/v1/alarms');
    expect(alarms.alarms.find((a) => a.name === 'web-5xx')).toMatchObject({ state: 'INSUFFICIENT_DATA' });
    // AND the next deployment to production takes the new strategy
    const next = await call<{ id: number; strategy: { kind: string } }>('POST', '/api/v1/deployments', { service: 'api', environment: 'production', revision: 'next-api', sourceDir: repo });
    expect(next.strategy.kind).toBe('Canary');
    await call('POST', `/api/v1/deployments/${next.id}/abort`, {});

    // AND the event log holds the change set, change by change, and each scope's version
    const created = events('iac.plan.created').find((e) => (e.data as { runId: number | null }).runId === id)!;
    expect((created.data as { changes: unknown[] }).changes).toHaveLength(4);
    const applied = events('iac.change.applied').map((e) => (e.data as { change: { resourceId: string } }).change.resourceId);
    expect(applied).toEqual(expect.arrayContaining(expected.map((e) => e[1])));
    expect(events('iac.apply.succeeded').map((e) => (e.data as { scope: string }).scope)).toEqual(['app', 'env/staging', 'env/production']);
    const status = await call<{ iac: { scopes: { scope: string; commit: string; runId: number | null }[] } }>('GET', '/api/v1/status');
    expect(status.iac.scopes.find((s) => s.scope === 'env/production')).toMatchObject({ commit: sha, runId: id });
    // AND `slipway state` lists the live resources with what runs of each service, read from the runtime
    const state = await slipway(['state', '--json', '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    expect(state.code, state.stderr).toBe(0);
    const resources = (JSON.parse(state.stdout) as IacStateDto).resources;
    expect(resources.find((r) => r.id === 'alarm/web-5xx')).toMatchObject({ type: 'alarm', observed: null });
    expect(resources.find((r) => r.id === 'service/production/web')).toMatchObject({
      attributes: { scaling: { min: 2 } },
      observed: { deploying: false, revisions: [{ revision: before.web, weightPercent: 100, desiredCount: 2, healthyCount: 2 }] },
    });
  }, 120_000);

  it('a commit adding a service brings it up in staging and production; removing it drains and stops it', async () => {
    const m = base();
    m.services.web!.min = 2;
    m.environments.production!.strategy = "{ type: 'canary', steps: [50, 100], interval: '1s' }";
    m.alarms = { 'web-5xx': "{ service: 'web', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 1 }" };
    m.services.worker = { ingress: '/worker' };
    const withWorker = await commitModel(repo, m, 'a worker');
    const added = await approveAndEnd(await runOf(withWorker));
    expect(added.status, JSON.stringify(added.stages.map((s) => s.actions.map((a) => a.reason)))).toBe('Succeeded');
    for (const env of ['staging', 'production']) {
      expect(serving(env, 'worker')).toHaveLength(1);
      expect(liveTasks(env, 'worker').length).toBeGreaterThan(0);
    }
    const ingress = cp.runtime!.environments.status().find((e) => e.name === 'staging')!;
    expect(ingress.services.map((s) => s.name)).toContain('worker');

    delete m.services.worker;
    const withoutWorker = await runOf(await commitModel(repo, m, 'no worker'));
    const plan = await waitFor('the run to plan', async () => {
      const x = await run(withoutWorker);
      return x.stages[0]?.status === 'Succeeded' ? (x.stages[0].actions[0]!.output.plan as PlanDto['changeSet']) : undefined;
    }, 60_000);
    expect(plan.changes.filter((c) => c.action === 'Remove').map((c) => c.resourceId).sort()).toEqual(['service/production/worker', 'service/staging/worker']);
    expect(plan.changes.filter((c) => c.action !== 'Remove').map((c) => c.resourceId)).toEqual(['listener/production', 'listener/staging']);
    const removed = await approveAndEnd(withoutWorker);
    expect(removed.status).toBe('Succeeded');
    for (const env of ['staging', 'production']) {
      expect(cp.runtime!.environments.revisions.list({ environment: env, service: 'worker' })).toEqual([]);
      expect(liveTasks(env, 'worker')).toEqual([]);
      expect(cp.runtime!.environments.status().find((e) => e.name === env)!.services.map((s) => s.name)).not.toContain('worker');
    }
  }, 120_000);

  it('an invalid model fails the run at its plan stage with the messages `slipway validate` prints, and applies nothing', async () => {
    const versions = (await call<{ scopes: unknown[] }>('GET', '/api/v1/iac/state')).scopes;
    const m = base();
    m.extra = 'colour: "blue",';
    const typo = await runOf(await commitModel(repo, m, 'a typo'));
    const failed = await waitFor('the run to fail', async () => {
      const x = await run(typo);
      return x.status === 'Failed' ? x : undefined;
    }, 60_000);
    const action = failed.stages[0]!.actions[0]!;
    expect(action.status).toBe('Failed');
    expect(action.reason).toContain('is invalid');
    expect(action.reason).toContain('colour');
    expect(failed.stages[2]!.status).not.toBe('Succeeded');
    expect((await call<{ scopes: unknown[] }>('GET', '/api/v1/iac/state')).scopes).toEqual(versions);
    await git(repo, 'revert', '--no-edit', 'HEAD');
  }, 120_000);
});
