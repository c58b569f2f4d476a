import { describe, expect, it } from 'vitest';
import { InputError, resolveApp, type Issue } from '../shared/index.js';
import type { TaskSetSpec } from './model.js';
import { parseTaskSetSpec } from './task-set-spec.js';

const app = resolveApp({
  name: 'shop',
  services: {
    // Nothing but the required fields: every health and scaling value is the app model's default.
    plain: { path: 'services/plain', start: 'node server.js' },
    tracked: { path: 'services/tracked', start: 'node server.js', scaling: { min: 2, max: 4, targetCpuPercent: 60 } },
  },
  environments: { production: { ingressPort: 8080 } },
});
const plain = app.services.plain!;
const tracked = app.services.tracked!;

/** A spec as the deployments context builds it: the compiled service as it is. */
const specOf = (svc: typeof plain, extra: Partial<TaskSetSpec> = {}): TaskSetSpec => ({
  environment: 'production',
  service: svc.name,
  revision: 'r1',
  command: svc.start,
  cwd: `/srv/${svc.path}`,
  env: {},
  desiredCount: svc.scaling.min,
  portEnv: svc.portEnv,
  health: svc.health,
  drainMs: 2000,
  stopTimeoutMs: 10_000,
  ...extra,
});

describe('parseTaskSetSpec', () => {
  it('keeps the compiled model\'s health and scaling as they are (no second set of defaults)', () => {
    // GIVEN specs built from services that left health and the cooldowns to the app model
    const parsed = parseTaskSetSpec(specOf(tracked, { scaling: tracked.scaling }));
    // THEN the runtime runs exactly what the model resolved (healthyThreshold 2, cooldowns 60 s / 30 s)
    expect(parsed.health).toEqual(tracked.health);
    expect(parsed.health.healthyThreshold).toBe(2);
    expect(parsed.scaling).toEqual({ min: 2, max: 4, targetCpuPercent: 60, targets: [], schedules: [], scaledByAlarms: [], scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 });
    expect(parseTaskSetSpec(specOf(plain)).health).toEqual(plain.health);
    expect(Object.isFrozen(parsed) && Object.isFrozen(parsed.health) && Object.isFrozen(parsed.scaling)).toBe(true);
  });

  // GIVEN a spec with one thing wrong or missing, WHEN parsed, THEN it is refused with each problem at its path
  const { drainMs: _d, ...noDrain } = specOf(plain);
  const { health: _h, ...noHealth } = specOf(plain);
  const cases: [string, unknown, Issue[]][] = [
    ['no drain time (the runtime fills in nothing)', noDrain, [{ path: 'drainMs', message: 'must be an integer >= 0 (got undefined)' }]],
    ['no health check', noHealth, [{ path: 'health', message: expect.stringMatching(/object/) as unknown as string }]],
    ['a health path without a slash', specOf(plain, { health: { ...plain.health, path: 'healthz' } }), [{ path: 'health.path', message: 'must start with "/" (got "healthz")' }]],
    ['a fractional count', specOf(plain, { desiredCount: 1.5 }), [{ path: 'desiredCount', message: 'must be an integer >= 0 (got 1.5)' }]],
    ['a blank command', specOf(plain, { command: '  ' }), [{ path: 'command', message: 'must be a non-empty shell command' }]],
    ['a revision with a slash', specOf(plain, { revision: 'a/b' }), [{ path: 'revision', message: expect.stringMatching(/^must match .* \(got "a\/b"\)$/) as unknown as string }]],
    ['a port variable with a dash', specOf(plain, { portEnv: 'MY-PORT' }), [{ path: 'portEnv', message: 'must be a variable name (got "MY-PORT")' }]],
    ['scaling without a target', specOf(plain, { scaling: { min: 1, max: 2, scaleInCooldownMs: 0, scaleOutCooldownMs: 0 } }), [{ path: 'scaling', message: 'needs targetCpuPercent, targetRequestsPerTask, targets, schedules or scaledByAlarms' }]],
    ['an unknown option', { ...specOf(plain), healthyThreshold: 1 }, [{ path: 'healthyThreshold', message: 'unknown key "healthyThreshold"' }]],
  ];
  it.each(cases)('refuses %s', (_name, spec, issues) => {
    let thrown: unknown;
    try {
      parseTaskSetSpec(spec);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect(thrown).toMatchObject({ code: 'SLW_ERR_RUNTIME_SPEC_INVALID', issues });
  });
});
