import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppDefinition } from '../../src/core/config/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { OnCallDto, PlanDto } from '../../src/shared/index.js';
import { commitModel, configSource, type FixtureModel } from '../support/iac-repo.js';
import { tempDir } from '../support/temp-dir.js';

// On-call is part of the model applied as code: a commit that changes who is on call plans as a
// change of `oncall/main`, and applying it is what the escalator and `GET /api/v1/oncall` then read.

const oncall = (member: string): FixtureModel => ({
  services: { web: { ingress: '/' } },
  environments: { production: {} },
  extra: `notifications: { team: [{ type: 'webhook', url: 'http://127.0.0.1:9/team' }] },
  oncall: {
    users: { alice: { contact: 'team' }, bob: { contact: 'team' } },
    schedules: { primary: { timeZone: 'UTC', layers: [{ members: [${JSON.stringify(member)}], rotation: 'weekly', start: '2026-01-05' }] } },
    escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '10m' }] } },
    policyBySeverity: { SEV1: 'standard' },
  },`,
});

describe('on-call as code: a committed rotation change is planned and applied', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const planOf = async (m: FixtureModel): Promise<PlanDto> => {
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), configSource(m));
    const { definition } = await readAppDefinition({ cwd: repo });
    return call<PlanDto>('POST', '/api/v1/iac/plans', { definition, source: 'slipway.config.ts' });
  };
  const onCallNow = async () => (await call<OnCallDto>('GET', '/api/v1/oncall')).schedules.map((s) => [s.schedule, s.user]);

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    await commitModel(repo, oncall('alice'), 'alice on call');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, pollIntervalMs: 60_000, driftIntervalMs: 60_000 });
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('plans the rotation change as a change of oncall/main, and applying it changes who is on call', async () => {
    // GIVEN alice on call, as the first model says
    expect(await onCallNow()).toEqual([['primary', 'alice']]);
    // WHEN the commit hands the rotation to bob THEN the plan is that one attribute of the on-call resource
    const plan = await planOf(oncall('bob'));
    expect(plan.changeSet.changes.map((c) => [c.action, c.resourceId, c.effect, c.attributes.map((a) => a.path)])).toEqual([['Modify', 'oncall/main', 'in-place', ['schedules.primary.layers']]]);
    // AND until it is applied, alice stays on call
    expect(await onCallNow()).toEqual([['primary', 'alice']]);
    // WHEN it is applied THEN bob is on call
    await call('POST', `/api/v1/iac/plans/${plan.id}/apply`, {});
    expect(await onCallNow()).toEqual([['primary', 'bob']]);
    // AND the same model plans no change any more
    expect((await planOf(oncall('bob'))).changeSet.changes).toEqual([]);
  });
});
