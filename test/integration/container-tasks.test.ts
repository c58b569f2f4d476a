import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, signalProcessGroup } from '../../src/core/index.js';
import { runEngine, type CompiledEngine } from '../../src/images/index.js';
import { ContainerCpuReader, CpuSampler, createAutoscaler, createSupervisor, type Supervisor, type TaskSetSpec } from '../../src/runtime/index.js';
import { createRuntimeTestEnv, eventsOf, fixtureSpec, httpGet, waitFor, type RuntimeTestEnv } from '../../src/runtime/test-fixtures/harness.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { buildHostNodeImage } from '../support/host-node-image.js';

const image = `localhost/slipway-test/container-task:${process.pid}`;
const busyImage = `localhost/slipway-test/container-busy:${process.pid}`;
let engine: CompiledEngine | undefined;

// Answers like healthy-server, and keeps one core as busy as it is allowed to be.
const BUSY_SERVER = `import http from 'node:http';
const server = http.createServer((req, res) => res.end('ok ' + process.env.SLIPWAY_TASK_ID + '\\n'));
server.listen(Number(process.env.PORT), '127.0.0.1');
const spin = () => { const end = Date.now() + 50; while (Date.now() < end); setImmediate(spin); };
spin();
process.on('SIGTERM', () => process.exit(0));
`;

beforeAll(async () => {
  engine = await containerEngineOrSkip('container-tasks');
  if (!engine) return;
  const server = fs.readFileSync(path.resolve('src/runtime/test-fixtures/healthy-server.mjs'), 'utf8');
  await buildHostNodeImage(engine, image, { 'app/server.mjs': server }, ['/usr/bin/node', '/app/server.mjs']);
  await buildHostNodeImage(engine, busyImage, { 'app/server.mjs': BUSY_SERVER }, ['/usr/bin/node', '/app/server.mjs']);
}, 120_000);

afterAll(async () => {
  if (engine) await runEngine(engine, ['rmi', '-f', image, busyImage]);
});

/** Names of the running containers of one task set, by label. */
async function containersOf(e: CompiledEngine, revision: string): Promise<string[]> {
  const r = await runEngine(e, ['ps', '--filter', `label=io.slipway.revision=${revision}`, '--filter', 'label=io.slipway.managed-by=slipway', '--format', '{{.Names}}']);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').sort();
}

describe('container tasks', () => {
  let env: RuntimeTestEnv;
  let sup: Supervisor | undefined;
  beforeEach(() => (env = createRuntimeTestEnv()));
  afterEach(async () => {
    await sup?.close({ stopTasks: true });
    sup = undefined;
    env.cleanup();
  });

  it('run like process tasks — port, variables, health, logs, graceful stop — and a killed one is replaced without leaving its container', async (t) => {
    if (!engine) return t.skip();
    const revision = `c${process.pid}`;
    sup = createSupervisor({ db: env.db, events: env.events, dataDir: env.dir, tickIntervalMs: 40, backoff: { initialMs: 200 } });
    const spec: TaskSetSpec = {
      ...fixtureSpec('healthy-server', { revision, desiredCount: 2, env: { EXTRA: 'from-spec' }, stopTimeoutMs: 5000 }),
      command: 'node /app/server.mjs',
      container: { image, app: 'shop', engine: { command: engine.command, globalArgs: engine.globalArgs, runArgs: engine.runArgs } },
    };
    // GIVEN a set of two container tasks WHEN applied
    await sup.applyTaskSet(spec);
    await waitFor('2 healthy container tasks', () => sup!.healthyTasks('staging', 'api', revision).length === 2, 60_000);
    const tasks = sup.healthyTasks('staging', 'api', revision);
    // THEN each answers on its own port with its own identity, and is a labelled container named after it
    for (const task of tasks) expect(await httpGet(task.port, '/')).toBe(`ok ${task.id}\n`);
    expect(await containersOf(engine, revision)).toEqual(tasks.map((x) => `slipway-${x.id}`).sort());
    const labels = await runEngine(engine, ['inspect', '--format', '{{index .Config.Labels "io.slipway.app"}} {{index .Config.Labels "io.slipway.task-id"}}', `slipway-${tasks[0]!.id}`]);
    expect(labels.stdout.trim()).toBe(`shop ${tasks[0]!.id}`);
    // AND its output reaches the task's log lines, with the spec's variables
    await waitFor('log lines', () => sup!.tailLogs({ taskId: tasks[0]!.id }).some((l) => l.line.includes('extra=from-spec')), 10_000);

    // WHEN scaled to one THEN the youngest stops gracefully (SIGTERM reaches the container) and its container is gone
    await sup.scaleTaskSet({ environment: 'staging', service: 'api', revision }, 1);
    await waitFor('one stopped', () => sup!.listTasks({ states: ['Stopped'] }).length === 1, 30_000);
    const stopped = sup.listTasks({ states: ['Stopped'] })[0]!;
    expect(eventsOf(env.events, 'task.stopped', stopped.id)[0]?.data).toMatchObject({ forced: false });
    await waitFor('SIGTERM logged', () => sup!.tailLogs({ taskId: stopped.id }).some((l) => l.line === 'got SIGTERM'), 5000);

    // WHEN the engine process of the remaining task is SIGKILLed (its container would keep running)
    const survivor = sup.listTasks({ states: ['Healthy'] })[0]!;
    signalProcessGroup(survivor.pgid!, 'SIGKILL');
    // THEN the task fails, a replacement becomes healthy, and only the replacement's container runs
    await waitFor('a replacement', () => sup!.healthyTasks('staging', 'api', revision).find((x) => x.id !== survivor.id), 60_000);
    expect(sup.listTasks().find((x) => x.id === survivor.id)?.state).toBe('Failed');
    const replacement = sup.healthyTasks('staging', 'api', revision)[0]!;
    const deadline = Date.now() + 15_000;
    let names = await containersOf(engine, revision);
    while (names.length !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      names = await containersOf(engine, revision);
    }
    expect(names).toEqual([`slipway-${replacement.id}`]);
    expect(isAlive(survivor.pid!)).toBe(false);

    // WHEN the supervisor goes away without its tasks (a control-plane crash) and a new one starts
    await sup.close({ stopTasks: false });
    sup = createSupervisor({ db: env.db, events: env.events, dataDir: env.dir, tickIntervalMs: 40, backoff: { initialMs: 200 } });
    const summary = await sup.adopt();
    expect(summary.adopted.map((x) => x.id)).toEqual([replacement.id]);
    // THEN it adopts the running container task: same task, same container, none started twice
    await waitFor('the adopted task healthy', () => sup!.healthyTasks('staging', 'api', revision).length === 1, 30_000);
    expect(sup.healthyTasks('staging', 'api', revision).map((x) => x.id)).toEqual([replacement.id]);
    expect(await httpGet(replacement.port, '/')).toBe(`ok ${replacement.id}\n`);
    expect(await containersOf(engine, revision)).toEqual([`slipway-${replacement.id}`]);

    // WHEN the supervisor closes with its tasks THEN no container of the set is left
    await sup.close({ stopTasks: true });
    sup = undefined;
    expect(await containersOf(engine, revision)).toEqual([]);
  }, 180_000);

  it('are limited to their cpus and memory, and CPU target tracking reads the container, not the engine client', async (t) => {
    if (!engine) return t.skip();
    const revision = `b${process.pid}`;
    sup = createSupervisor({ db: env.db, events: env.events, dataDir: env.dir, tickIntervalMs: 40, backoff: { initialMs: 200 } });
    const spec: TaskSetSpec = {
      ...fixtureSpec('healthy-server', { revision, desiredCount: 1, stopTimeoutMs: 5000 }),
      command: 'node /app/server.mjs',
      scaling: { min: 1, max: 2, targetCpuPercent: 20, scaleInCooldownMs: 60_000, scaleOutCooldownMs: 0 },
      container: { image: busyImage, app: 'shop', cpus: 0.5, memoryMiB: 256, engine: { command: engine.command, globalArgs: engine.globalArgs, runArgs: engine.runArgs } },
    };
    // GIVEN one container task that spins as hard as it may, limited to half a core and 256 MiB
    await sup.applyTaskSet(spec);
    await waitFor('a healthy busy task', () => sup!.healthyTasks('staging', 'api', revision).length === 1, 60_000);
    const task = sup.healthyTasks('staging', 'api', revision)[0]!;
    // THEN the engine applied both limits to the container
    const limits = await runEngine(engine, ['inspect', '--format', '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}', `slipway-${task.id}`]);
    expect(limits.stdout.trim()).toBe(`${0.5e9} ${256 * 1024 * 1024}`);

    // WHEN its CPU is measured over two seconds, from the container's cgroup and from the task's process group
    const reader = new ContainerCpuReader();
    const sampler = new CpuSampler();
    sampler.sampleCounter(task.id, await reader.cpuMs(spec.container!, task.id), Date.now());
    sampler.sample(task.pgid!, Date.now());
    await new Promise((r) => setTimeout(r, 2000));
    const container = sampler.sampleCounter(task.id, await reader.cpuMs(spec.container!, task.id), Date.now());
    const client = sampler.sample(task.pgid!, Date.now());
    // THEN the container is busy, up to its quota of half a core; the engine client it runs under is not
    expect(container).toBeGreaterThan(20);
    expect(container).toBeLessThan(65);
    expect(client).toBeLessThan(10);

    // WHEN the autoscaler evaluates the set twice THEN it tracks the container's CPU and scales out
    const autoscaler = createAutoscaler({ supervisor: sup, events: env.events });
    await autoscaler.tick();
    await new Promise((r) => setTimeout(r, 1000));
    await autoscaler.tick();
    const scaled = eventsOf(env.events, 'service.scaled');
    expect(scaled.map((e) => e.data)).toEqual([expect.objectContaining({ from: 1, to: 2, metric: 'CPUUtilization' })]);
    expect((scaled[0]!.data as { measured: number }).measured).toBeGreaterThan(20);
    await waitFor('two healthy busy tasks', () => sup!.healthyTasks('staging', 'api', revision).length === 2, 60_000);
  }, 120_000);
});
