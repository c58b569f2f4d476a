import { beforeAll, describe, expect, it } from 'vitest';
import { EventLog, eventMigrations, openDatabase, silentLogger } from '../../src/core/index.js';
import { PROBE_IMAGE, probeLimits, type CompiledEngine } from '../../src/images/index.js';
import { localContainerImages } from '../../src/server/container-images.js';
import { resolveApp } from '../../src/shared/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';

let engine: CompiledEngine | undefined;

beforeAll(async () => {
  engine = await containerEngineOrSkip('container-limits');
}, 120_000);

const app = resolveApp({
  name: 'limits',
  services: { web: { path: 'services/web', start: 'node server.js', runtime: 'container', image: {}, cpu: 512, memory: 1024 } },
  environments: { production: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
});

describe('container limits', () => {
  it('are probed when the engine is detected, and a limit the engine refuses is found out', async (t) => {
    if (!engine) return t.skip();
    // GIVEN the engine as detected on this machine THEN it knows whether limits apply, and says so
    expect(engine.limits).toBeDefined();
    expect(engine.description).toMatch(/limits (apply|cannot be applied)/);
    // GIVEN run flags under which the engine refuses --cpus (it cannot be combined with --cpu-period)
    const refusing = { command: engine.command, globalArgs: engine.globalArgs, runArgs: [...engine.runArgs, '--cpu-period', '100000'] };
    // WHEN probed THEN CPU is refused with the engine's words, memory still applies
    const limits = await probeLimits(refusing);
    expect(limits.cpus).toBe(false);
    expect(limits.memory).toBe(engine.limits!.memory);
    expect(limits.reason).toMatch(/^--cpus: .*cpu-period/i);
  }, 60_000);

  it('that the engine cannot apply are left out of the run and reported, not silently dropped', async (t) => {
    if (!engine) return t.skip();
    const db = openDatabase(':memory:', { migrations: eventMigrations });
    const events = new EventLog(db, {});
    const web = app.services.web!;
    const req = { environment: 'production', service: 'web', revision: 'r1', sourceDir: '/nonexistent', image: PROBE_IMAGE };

    // GIVEN the engine where both limits apply WHEN a revision's spec is made THEN it carries both, and nothing is reported
    const applied = await localContainerImages({ app: 'limits', logger: silentLogger, events, engine: async () => ({ ...engine!, limits: { cpus: true, memory: true } }) }).specFor(req, web);
    expect(applied).toMatchObject({ image: PROBE_IMAGE, cpus: 0.5, memoryMiB: 1024 });
    expect(applied.unappliedLimits).toBeUndefined();
    expect(events.list({ type: 'service.limits.not_applied' })).toEqual([]);

    // GIVEN an engine that refused --memory here (as a host without the memory controller does)
    const reason = '--memory: the memory cgroup controller is not available';
    const refused = await localContainerImages({ app: 'limits', logger: silentLogger, events, engine: async () => ({ ...engine!, limits: { cpus: true, memory: false, reason } }) }).specFor(req, web);
    // THEN the task runs with the CPU limit only, the spec says what was left out and why, and an event reports it
    expect(refused.cpus).toBe(0.5);
    expect(refused.memoryMiB).toBeUndefined();
    expect(refused.unappliedLimits).toEqual({ memoryMiB: 1024, reason });
    expect(events.list({ type: 'service.limits.not_applied' }).map((e) => [e.subject, e.data])).toEqual([
      ['service/production/web', { environment: 'production', service: 'web', revision: 'r1', cpus: null, memoryMiB: 1024, reason }],
    ]);
    db.close();
  }, 60_000);
});
