import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppDefinition } from '../../src/core/index.js';
import type { PlanDto } from '../../src/shared/index.js';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { killDataPlane } from '../support/data-plane.js';
import { commitModel, configSource, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface ApiEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

const model = (): FixtureModel => ({
  services: { web: { ingress: '/', min: 1, max: 3 }, worker: { ingress: '/worker' } },
  environments: { staging: {} },
});

/**
 * A control plane SIGKILLed in the middle of an apply (while a removed service drains) resumes the
 * apply after its restart: every change of the plan is applied exactly once, and the record says
 * which were applied before and after the crash.
 */
describe('an apply interrupted by a control-plane SIGKILL', () => {
  const tmp = tempDir();
  const repo = path.join(tmp.path, 'repo');
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  let cp: ReturnType<typeof startSlipway>;
  const up = async () => {
    fs.rmSync(path.join(dataDir, 'server.json'), { force: true });
    cp = startSlipway(['up', '--data', dataDir, ...FREE_PORTS], { cwd: repo });
    await waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${cp.output.stderr.slice(-2000)}`);
    });
  };
  const events = async (type: string) => (await api.ok<{ events: ApiEvent[] }>('GET', `/api/v1/events?type=${type}&limit=1000`)).events.filter((e) => e.type === type);

  beforeAll(async () => {
    fs.mkdirSync(repo, { recursive: true });
    await commitModel(repo, model(), 'web and a worker');
    await up();
    await waitFor('both services healthy', async () => {
      const s = await api.ok<{ runtime: { environments: { services: { name: string; revisions: { tasks: { state: string }[] }[] }[] }[] } }>('GET', '/api/v1/status');
      const services = s.runtime.environments[0]!.services;
      return services.length === 2 && services.every((x) => x.revisions.some((r) => r.tasks.some((t) => t.state === 'Healthy'))) ? true : undefined;
    }, 30_000);
  }, 60_000);
  afterAll(async () => {
    if (cp?.child.exitCode === null) {
      cp.child.kill('SIGINT');
      await cp.exited;
    }
    killDataPlane(dataDir);
    tmp.cleanup();
  });

  it('resumes after the restart and applies every change exactly once', { timeout: 60_000 }, async () => {
    // GIVEN a plan that removes the worker (a drain of 2 s) and raises web's minimum
    const m = model();
    delete m.services.worker;
    m.services.web!.min = 2;
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(m));
    const { definition } = await readAppDefinition({ cwd: repo });
    const plan = await api.ok<PlanDto>('POST', '/api/v1/iac/plans', { definition, source: 'slipway.config.ts' });
    expect(plan.changeSet.changes.map((c) => [c.action, c.resourceId])).toEqual([
      ['Modify', 'listener/staging'],
      ['Modify', 'service/staging/web'],
      ['Remove', 'service/staging/worker'],
    ]);
    // WHEN the apply is under way (the worker draining) and the control plane is SIGKILLed
    void api.call('POST', `/api/v1/iac/plans/${plan.id}/apply`, {}).catch(() => undefined);
    await waitFor('the apply to start', async () => ((await events('iac.apply.started')).length > 0 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    cp.child.kill('SIGKILL');
    await cp.exited;
    const before = await (async () => {
      // The record as the crash left it, read from the database the next control plane opens.
      const { openDatabase } = await import('../../src/core/index.js');
      const db = openDatabase(path.join(dataDir, 'slipway.db'), { synchronous: 'NORMAL' });
      try {
        return db.prepare<[number], { status: string; applied: string }>('SELECT status, applied FROM iac_applies WHERE plan_id = ?').get(plan.id)!;
      } finally {
        db.close();
      }
    })();
    expect(before.status).toBe('InProgress');
    // THEN the restarted control plane finishes it
    await up();
    const applied = await waitFor('the apply to finish', async () => {
      const p = await api.ok<PlanDto>('GET', `/api/v1/iac/plans/${plan.id}`);
      return p.applies[0]?.status === 'Succeeded' || p.applies[0]?.status === 'Failed' ? p.applies[0] : undefined;
    }, 30_000);
    expect(applied.status).toBe('Succeeded');
    expect([...applied.applied].sort()).toEqual(['listener/staging', 'service/staging/web', 'service/staging/worker']);
    // AND each change was recorded applied exactly once, across both control planes
    const changes = (await events('iac.change.applied')).map((e) => (e.data.change as { resourceId: string }).resourceId);
    expect(changes.sort()).toEqual(['listener/staging', 'service/staging/web', 'service/staging/worker']);
    expect((JSON.parse(before.applied) as string[]).every((id) => changes.includes(id))).toBe(true);
    // AND the live system is the plan's: no worker, two web tasks, the version recorded
    await waitFor('two web tasks and no worker', async () => {
      const s = await api.ok<{ runtime: { environments: { services: { name: string; revisions: { desiredCount: number; tasks: { state: string }[] }[] }[] }[] } }>('GET', '/api/v1/status');
      const services = s.runtime.environments[0]!.services;
      const web = services.find((x) => x.name === 'web');
      return services.length === 1 && web?.revisions[0]?.tasks.filter((t) => t.state === 'Healthy').length === 2 ? true : undefined;
    }, 20_000);
    const state = await api.ok<{ scopes: { scope: string; planId: number | null }[] }>('GET', '/api/v1/iac/state');
    expect(state.scopes.find((s) => s.scope === 'env/staging')!.planId).toBe(plan.id);
    const d = await readAppDefinition({ cwd: repo });
    expect(d.definition).toBeDefined();
  });
});
