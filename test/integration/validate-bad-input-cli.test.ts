import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slipway } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid app with on-call, a scheduled scaling action, an alarm with a runbook and a load test, for each case to break one of. */
function base(): Loose {
  return {
    name: 'v',
    services: { web: { path: '.', start: 'node s.js', ingress: { pathPrefix: '/' }, scaling: { min: 1, max: 3, schedules: [{ name: 'mornings', schedule: 'cron(0 9 ? * MON-FRI *)', minTasks: 2 }] } } },
    environments: { staging: { ingressPort: 8081 } },
    notifications: { pager: [{ type: 'webhook', url: 'http://127.0.0.1:9000/hook' }] },
    alarms: { errors: { service: 'web', metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 1, runbook: 'runbooks/errors.md' } },
    oncall: {
      users: { alice: { contact: 'pager' }, bob: { contact: 'pager' } },
      schedules: { primary: { layers: [{ members: ['alice', 'bob'], start: '2026-01-05' }], overrides: [{ user: 'bob', start: '2026-03-01T09:00', end: '2026-03-02T09:00' }] } },
      escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }] }] } },
    },
    pipeline: { stages: [{ name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }, { name: 'Load', actions: [{ type: 'loadtest', target: { environment: 'staging' }, thresholds: { p99Ms: 200 } }] }] },
  };
}

const cases: [string, (d: Loose) => void, string][] = [
  ['an escalation policy with no levels', (d) => (d.oncall.escalationPolicies.standard.levels = []), 'oncall.escalationPolicies.standard.levels: an escalation policy needs at least one level'],
  ['a schedule with overlapping overrides', (d) => d.oncall.schedules.primary.overrides.push({ user: 'alice', start: '2026-03-01T21:00', end: '2026-03-03T09:00' }), 'oncall.schedules.primary.overrides[1]: overlaps override [0] (bob, 2026-03-01T09:00Z to 2026-03-02T09:00Z): overrides of a schedule must not overlap'],
  ['a cron expression that never fires', (d) => (d.services.web.scaling.schedules[0].schedule = 'cron(0 9 31 4 ? *)'), 'services.web.scaling.schedules[0].schedule: cron(0 9 31 4 ? *) never runs: no date matches it'],
  ['a runbook path that does not exist', (d) => (d.alarms.errors.runbook = 'runbooks/missing.md'), 'alarms.errors.runbook: no file "runbooks/missing.md" next to the config file'],
  [
    'a load test against an address that is not one of the app\'s ingresses',
    (d) => (d.pipeline.stages[1].actions[0].target = { url: 'http://127.0.0.1:4400/api/v1/status' }),
    'pipeline.stages[1].actions[0].target.url: "http://127.0.0.1:4400/api/v1/status" is not an ingress of this app: no environment\'s ingress listens on port 4400 (the app\'s ingresses: staging (http://127.0.0.1:8081)); or name the environment with { environment }',
  ],
];

describe('slipway validate refuses bad input with the path and what is wrong', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const validate = async (d: Loose) => {
    const dir = tempDir('slipway-validate-bad-');
    cleanups.push(dir.cleanup);
    fs.mkdirSync(path.join(dir.path, 'runbooks'));
    fs.writeFileSync(path.join(dir.path, 'runbooks', 'errors.md'), '# Errors\n');
    fs.writeFileSync(path.join(dir.path, 'slipway.config.json'), JSON.stringify(d));
    return slipway(['validate'], { cwd: dir.path });
  };

  it('accepts the base config', async () => {
    const r = await validate(base());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each(cases)('%s', async (_name, change, message) => {
    // GIVEN the base config with one mistake WHEN it is validated THEN one line names its path and the problem, and the exit code is 1
    const d = base();
    change(d);
    const r = await validate(d);
    expect(r.stderr.trim().split('\n')).toEqual([`slipway.config.json: ${message}`]);
    expect(r.code).toBe(1);
  });
});
