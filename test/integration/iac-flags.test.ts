import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppDefinition } from '../../src/core/config/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { FlagDetailDto, FlagRolloutDto, FlagRolloutListDto, PlanDto } from '../../src/shared/index.js';
import { commitModel, configSource, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// A flag changed in the app model is a change of the running system like any other: it shows in the
// plan as the flag of each environment, and applying it rolls the new definition out through the
// deployment engine with the environment's strategy (steps and bake times), as a change made with
// `slipway flags rollout` would — never written to the store at once.

const model = (flags: string): FixtureModel => ({
  services: { web: { ingress: '/' } },
  environments: { staging: {}, production: { strategy: "{ type: 'canary', steps: [20, 100], interval: '1s' }" } },
  extra: `flags: ${flags},`,
});
const OFF = "{ checkout: { default: false, description: 'the new checkout' } }";
const TEN = "{ checkout: { default: false, description: 'the new checkout', rules: [{ percentage: 10, value: true }], environments: { staging: { rules: [{ value: true }] } } } }";

describe('flags as code: a committed flag change is planned and rolled out', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const planOf = async (flags: string): Promise<PlanDto> => {
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(model(flags)));
    const { definition } = await readAppDefinition({ cwd: repo });
    return call<PlanDto>('POST', '/api/v1/iac/plans', { definition, source: 'slipway.config.ts' });
  };

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    await commitModel(repo, model(OFF), 'a flag, off');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, pollIntervalMs: 60_000, driftIntervalMs: 60_000 });
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('plans the flag of each environment with what changes, and applies it as a rollout with each environment\'s strategy', async () => {
    // GIVEN the flag off everywhere (seeded from the first model)
    expect((await call<FlagDetailDto>('GET', '/api/v1/flags/production/checkout')).version).toBe(1);
    // WHEN a change gives 10 % of production and everyone in staging the new checkout
    const plan = await planOf(TEN);
    // THEN the plan has the flag of each environment, with the rules it changes, as a rolling change
    expect(plan.changeSet.changes.map((c) => [c.action, c.resourceId, c.effect])).toEqual([
      ['Modify', 'flag/production/checkout', 'rolling'],
      ['Modify', 'flag/staging/checkout', 'rolling'],
    ]);
    expect(plan.changeSet.changes[0]!.attributes).toEqual([{ path: 'rules', old: [], new: [{ match: {}, percentage: 10, value: true }], effect: 'rolling' }]);

    // WHEN it is applied
    await call('POST', `/api/v1/iac/plans/${plan.id}/apply`, {});
    // THEN production's flag is rolled out with production's canary (20 % for a second, then everyone), by the apply
    const rollouts = await call<FlagRolloutListDto>('GET', '/api/v1/flag-rollouts');
    const prod = rollouts.rollouts.find((r) => r.environment === 'production')!;
    expect(prod).toMatchObject({ key: 'checkout', strategy: 'Canary', plan: [{ percent: 20, bakeMs: 1000 }, { percent: 100, bakeMs: 0 }], actor: expect.stringMatching(/\(plan \d+\)$/) });
    // AND staging's (all at once) completed at once
    const staging = rollouts.rollouts.find((r) => r.environment === 'staging')!;
    expect(staging).toMatchObject({ state: 'Succeeded', strategy: 'AllAtOnce' });
    expect((await call<FlagDetailDto>('GET', '/api/v1/flags/staging/checkout')).definition.rules).toEqual([{ match: {}, percentage: 100, value: true }]);
    // AND production's completes after its bake time, as the flag's next version
    const done = await waitFor('production\'s rollout to succeed', async () => {
      const r = await call<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${prod.id}`);
      return r.state === 'Succeeded' ? r : undefined;
    }, 15_000, 100);
    expect(done.toVersion).toBe(2);
    const flag = await call<FlagDetailDto>('GET', '/api/v1/flags/production/checkout');
    expect(flag.definition.rules).toEqual([{ match: {}, percentage: 10, value: true }]);
    expect(flag.history.map((v) => v.version)).toEqual([2, 1]);
    // AND the apply's events name the flag changes
    const applied = cp.events.list({ type: 'iac.change.applied', limit: 100 }).map((e) => (e.data as { change: { resourceId: string } }).change.resourceId);
    expect(applied).toEqual(expect.arrayContaining(['flag/production/checkout', 'flag/staging/checkout']));

    // WHEN the same model is planned again THEN nothing is left to change
    expect((await planOf(TEN)).changeSet.changes).toEqual([]);
  }, 60_000);

  it('leaves a rollout a person started alone and fails the apply, saying which, with the model kept as it was', async () => {
    // GIVEN a person rolling production's flag out by hand, slowly
    const mine = await call<FlagRolloutDto>('POST', '/api/v1/flags/production/checkout/rollouts', { definition: { default: false, rules: [{ percentage: 50, value: true }] }, strategy: { type: 'canary', steps: [10, 100], interval: '1h' }, by: 'alice' });
    // WHEN a commit changes the flag again and is applied
    const plan = await planOf(OFF);
    const res = await cp.app.inject({ method: 'POST', url: `/api/v1/iac/plans/${plan.id}/apply`, headers: { authorization: `Bearer ${cp.token}` }, payload: {} });
    // THEN the apply fails on that flag, and the person's rollout goes on
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/flag\/production\/checkout.*already being rolled out \(rollout \d+/);
    expect((await call<FlagRolloutDto>('GET', `/api/v1/flag-rollouts/${mine.id}`)).state).toBe('InProgress');
    // AND the environment still runs the model it had
    expect((await planOf(OFF)).changeSet.changes.map((c) => c.resourceId)).toContain('flag/production/checkout');
    await call('POST', `/api/v1/flag-rollouts/${mine.id}/abort`, { by: 'alice' });
  }, 60_000);
});
