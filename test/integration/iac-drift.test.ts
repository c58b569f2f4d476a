import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { DriftReportDto, PlanDto, PlanListDto } from '../../src/shared/index.js';
import { slipway } from '../support/cli.js';
import { commitModel, configSource, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const INTERVAL_MS = 300;

const model = (): FixtureModel => ({
  services: { web: { ingress: '/', min: 1, max: 3 } },
  environments: { staging: {}, production: { selfHeal: true } },
});

/**
 * Drift: what was changed by hand in the running system is reported within one detection
 * interval; an environment with `selfHeal` gets it reverted and recorded; an override keeps a
 * deliberate change until it expires. A plan made before such a change is refused.
 */
describe('drift, self-heal and overrides (real processes)', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  const request = async (method: string, url: string, body?: unknown) => cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await request(method, url, body);
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const revisions = (env: string) => cp.runtime!.environments.revisions.list({ environment: env, service: 'web' });
  const first = (env: string) => [...revisions(env)].sort((a, b) => a.createdAtMs - b.createdAtMs)[0]!.revision;
  const drift = () => call<DriftReportDto>('GET', '/api/v1/iac/drift');
  const events = (type: string) => cp.events.list({ type, limit: 1000 }).filter((e) => e.type === type);
  /** Starts a second revision of web and splits the traffic with it, as someone would by hand. */
  const shift = async (env: string, label: string) => {
    const original = first(env);
    await call('POST', `/api/v1/environments/${env}/services/web/revisions`, { revision: label, sourceDir: repo, desiredCount: 1 });
    await waitFor(`${label} healthy in ${env}`, () => (cp.runtime!.environments.revisionHealth(env, 'web', label).routed && cp.runtime!.environments.revisionHealth(env, 'web', label).healthyCount > 0 ? true : undefined), 20_000);
    await call('PUT', `/api/v1/environments/${env}/services/web/traffic`, { weights: { [original]: 50, [label]: 50 } });
    return { original, at: Date.now() };
  };

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    await commitModel(repo, model(), 'one service');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, driftIntervalMs: INTERVAL_MS });
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('a plan made before a manual change is refused: the live state it was made for is gone', async () => {
    const m = model();
    m.services.web!.min = 2;
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(m));
    const cli = await slipway(['plan', '--json', '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    const plan = JSON.parse(cli.stdout) as PlanDto;
    expect(plan.changeSet.changes.map((c) => c.resourceId)).toEqual(['service/production/web', 'service/staging/web']);
    await call('POST', '/api/v1/iac/overrides', { environment: 'staging', reason: 'a test splits traffic by hand', for: '1m' });
    await shift('staging', 'manual-a');
    const refused = await request('POST', `/api/v1/iac/plans/${plan.id}/apply`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'SLW_ERR_IAC_PLAN_STALE' } });
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('env/staging');
    // Nothing of the plan was applied, in either environment; the plan is listed, with no apply.
    expect(revisions('production').map((r) => r.desiredCount)).toEqual([1]);
    const listed = await call<PlanListDto>('GET', '/api/v1/iac/plans?limit=1');
    expect(listed.plans.map((p) => [p.id, p.applies.length])).toEqual([[plan.id, 0]]);
    expect((await request('GET', '/api/v1/iac/plans?limit=0')).json()).toMatchObject({ error: { code: 'SLW_ERR_API_VALIDATION', issues: [{ path: 'query.limit' }] } });
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(model()));
  }, 60_000);

  it('a manual traffic shift and a manual scale are reported within one detection interval, and left as they are without selfHeal', async () => {
    // The split made under the previous test's override becomes plain drift once the override ends.
    const original = first('staging');
    await call('DELETE', `/api/v1/iac/overrides/${(await drift()).overrides[0]!.id}`);
    const clearedAt = Date.now();
    const traffic = await waitFor('the shift reported', async () => (await drift()).drifts.find((d) => d.kind === 'traffic' && d.environment === 'staging' && d.overrideId === null), 5_000);
    // Within one interval (plus the detection itself and this poll's step).
    expect(Date.now() - clearedAt).toBeLessThan(INTERVAL_MS * 2 + 500);
    expect(traffic).toMatchObject({ resourceId: 'service/staging/web', expected: { [original]: 100 }, actual: { [original]: 50, 'manual-a': 50 } });
    expect(events('iac.drift.detected').some((e) => JSON.stringify(e.data).includes('service/staging/web'))).toBe(true);
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 3));
    expect(revisions('staging').map((r) => r.weightPercent).sort()).toEqual([50, 50]);
    // Back to one revision by hand, then a manual scale: the count is reported.
    await call('PUT', '/api/v1/environments/staging/services/web/traffic', { weights: { [original]: 100, 'manual-a': 0 } });
    await call('PUT', `/api/v1/environments/staging/services/web/revisions/${original}/scale`, { desiredCount: 3 });
    const scaledAt = Date.now();
    const count = await waitFor('the count drift', async () => (await drift()).drifts.find((d) => d.kind === 'count' && d.environment === 'staging'), 5_000);
    expect(Date.now() - scaledAt).toBeLessThan(INTERVAL_MS * 2 + 500);
    expect(count).toMatchObject({ expected: { revision: original, desiredCount: 1 }, actual: { revision: original, desiredCount: 3 } });
    // AND `slipway drift` shows both kinds; nothing was healed in staging
    const cli = await slipway(['drift', '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    expect(cli.stdout).toContain('count');
    expect(cli.stdout).toContain('task-set');
    expect(revisions('staging').find((r) => r.revision === original)!.desiredCount).toBe(3);
    expect(events('iac.drift.healed').filter((e) => (e.data as { environment: string }).environment === 'staging')).toEqual([]);
  }, 60_000);

  it('with selfHeal a manual shift and a manual scale are reverted and recorded', async () => {
    // Set up under an override (selfHeal would stop a second revision serving nothing before it could take traffic), then end it.
    const hold = await call<{ id: number }>('POST', '/api/v1/iac/overrides', { environment: 'production', reason: 'setting up a split', for: '1m' });
    const { original } = await shift('production', 'manual-b');
    await call('DELETE', `/api/v1/iac/overrides/${hold.id}`);
    await waitFor('the shift healed', () => (revisions('production').find((r) => r.revision === original)?.weightPercent === 100 ? true : undefined), 10_000);
    // The revision left behind serving nothing is stopped too.
    await waitFor('the task set left behind stopped', () => (revisions('production').some((r) => r.revision === 'manual-b') ? undefined : true), 10_000);
    await call('PUT', `/api/v1/environments/production/services/web/revisions/${original}/scale`, { desiredCount: 3 });
    await waitFor('the scale healed', () => (revisions('production').find((r) => r.revision === original)?.desiredCount === 1 ? true : undefined), 10_000);
    const healed = events('iac.drift.healed').map((e) => (e.data as { drift: { kind: string }; environment: string }));
    expect(healed.filter((h) => h.environment === 'production').map((h) => h.drift.kind)).toEqual(expect.arrayContaining(['traffic', 'task-set', 'count']));
    const clean = await waitFor('production without drift', async () => {
      const left = (await drift()).drifts.filter((d) => d.environment === 'production');
      return left.length === 0 ? left : undefined;
    }, 5_000).catch(async () => (await drift()).drifts.filter((d) => d.environment === 'production'));
    expect(clean).toEqual([]);
  }, 60_000);

  it('a recorded override is left alone until it expires, then healed', async () => {
    const cli = await slipway(['drift', 'override', 'production', '--service', 'web', '--reason', 'incident 7: holding the old revision', '--for', '4s', '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    expect(cli.stdout).toContain('override #');
    const { original } = await shift('production', 'manual-c');
    const covered = await waitFor('the drift reported under the override', async () => (await drift()).drifts.find((d) => d.kind === 'traffic' && d.environment === 'production' && d.overrideId !== null), 5_000);
    expect(covered.message).toContain('50%');
    expect(revisions('production').find((r) => r.revision === original)!.weightPercent).toBe(50);
    await waitFor('the override to expire and the drift to be healed', () => (revisions('production').find((r) => r.revision === original)?.weightPercent === 100 ? true : undefined), 15_000);
    expect(events('iac.override.ended').map((e) => (e.data as { how: string }).how)).toContain('expired');
  }, 60_000);

  it('a rollback someone asks for is recorded as an override of its service', async () => {
    const d = await call<{ id: number }>('POST', '/api/v1/deployments', { service: 'web', environment: 'staging', revision: 'r2', sourceDir: repo });
    await waitFor('the deployment to succeed', async () => ((await call<{ state: string }>('GET', `/api/v1/deployments/${d.id}`)).state === 'Succeeded' ? true : undefined), 30_000);
    const rollback = await call<{ id: number }>('POST', `/api/v1/deployments/${d.id}/rollback`, {});
    const recorded = await waitFor('the override', () => events('iac.override.recorded').find((e) => (e.data as { reason: string }).reason.startsWith(`rollback deployment ${rollback.id}`)), 5_000);
    expect(recorded.data).toMatchObject({ environment: 'staging', resourceId: 'service/staging/web', by: 'slipway' });
    expect((await drift()).overrides.map((o) => o.resourceId)).toContain('service/staging/web');
  }, 60_000);
});
