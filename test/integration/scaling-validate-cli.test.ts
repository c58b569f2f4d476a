import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slipway } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

describe('slipway validate: scaling and alarm math', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('names the never-running cron, the unknown time zone, the undefined id and the overlapping steps, and exits 1', async () => {
    // GIVEN a config with one of each mistake
    const dir = tempDir('slipway-validate-scaling-');
    cleanups.push(dir.cleanup);
    const app = {
      name: 'v',
      services: {
        web: {
          path: '.',
          start: 'node s.js',
          scaling: { min: 1, max: 3, schedules: [{ name: 'feb', schedule: 'cron(0 9 30 2 ? *)', minTasks: 2 }, { name: 'tz', schedule: 'rate(1 hour)', timezone: 'Moon/Base', minTasks: 2 }] },
        },
      },
      environments: { prod: { ingressPort: 8080 } },
      alarms: {
        a: {
          service: 'web',
          metrics: { m1: { metric: 'x' } },
          expression: 'm1 / m2 * 100',
          threshold: 1,
          actions: [{ type: 'scale', service: 'web', adjustments: [{ lowerBound: 0, upperBound: 10, change: 1 }, { lowerBound: 5, change: 2 }] }],
        },
      },
    };
    fs.writeFileSync(path.join(dir.path, 'slipway.config.json'), JSON.stringify(app));
    // WHEN it is validated THEN each problem is one line with its path, and the exit code is 1
    const r = await slipway(['validate'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'slipway.config.json: services.web.scaling.schedules[0].schedule: cron(0 9 30 2 ? *) never runs: no date matches it',
      'slipway.config.json: services.web.scaling.schedules[1].timezone: unknown time zone "Moon/Base": expected an IANA name such as "UTC" or "Europe/Paris"',
      'slipway.config.json: alarms.a.expression: the expression refers to "m2", which is not defined: metrics has m1',
      "slipway.config.json: alarms.a.actions[0].adjustments[1]: the interval [5, ∞) overlaps step 0's [0, 10)",
    ]);
  });
});
