import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, type CompiledEngine } from '../../src/images/index.js';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { killDataPlane } from '../support/data-plane.js';
import { buildHostNodeImage } from '../support/host-node-image.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface Status {
  runtime: {
    environments: {
      name: string;
      services: { name: string; revisions: { revision: string; desiredCount: number; tasks: { id: string; state: string; pid: number | null }[]; container?: Record<string, unknown> }[] }[];
    }[];
    router: { listeners: { kind: string; environment: string; port: number }[] };
  };
}

const APP = 'crashbox';

const SERVER = `import http from 'node:http';
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  // A little work per request, so the load keeps both tasks busy.
  setTimeout(() => res.end(\`hello from \${process.env.SLIPWAY_TASK_ID}\`), 2);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/**
 * Container tasks outlive their control plane. Under steady load through the ingress, `slipway up`
 * is SIGKILLed while two container tasks serve; the router and the containers keep answering, and
 * the restarted control plane adopts the same containers (same container ids, same task ids) instead
 * of starting new ones: no request fails, no container is duplicated, the task count stays declared.
 */
describe('reliability: a control-plane crash while container tasks serve', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  const base = `localhost/slipway-test/crash-base:${process.pid}`;
  const configFile = path.join(tmp.path, 'slipway.config.json');
  let engine: CompiledEngine | undefined;
  const started: ReturnType<typeof startSlipway>[] = [];

  const up = () => {
    const p = startSlipway(['up', '--config', configFile, ...FREE_PORTS, '--data', dataDir]);
    started.push(p);
    return p;
  };
  const serverUp = (p: ReturnType<typeof startSlipway>) =>
    waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${p.output.stderr.slice(-2000)}`);
    });
  /** The app's running containers: container id → task id label. */
  const containers = async (): Promise<Map<string, string>> => {
    const r = await runEngine(engine!, ['ps', '--no-trunc', '--filter', `label=io.slipway.app=${APP}`, '--format', '{{.ID}} {{index .Labels "io.slipway.task-id"}}']);
    expect(r.code).toBe(0);
    return new Map(r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(' ') as [string, string]));
  };
  const webTasks = (s: Status) => s.runtime.environments[0]!.services.find((x) => x.name === 'web')!.revisions.flatMap((r) => r.tasks);

  beforeAll(async () => {
    engine = await containerEngineOrSkip('container-crash-adoption');
    if (!engine) return;
    await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
    const web = path.join(tmp.path, 'services', 'web');
    fs.mkdirSync(web, { recursive: true });
    fs.writeFileSync(path.join(web, 'server.mjs'), SERVER);
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    const config = {
      name: APP,
      services: {
        web: {
          path: 'services/web',
          start: 'node server.mjs',
          runtime: 'container',
          image: {},
          scaling: { min: 2, max: 2 },
          ingress: { pathPrefix: '/' },
          health: { interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '10s' },
        },
      },
      environments: { production: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
    };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  }, 120_000);

  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    killDataPlane(dataDir);
    if (engine) {
      const left = await runEngine(engine, ['ps', '-a', '-q', '--filter', `label=io.slipway.app=${APP}`]);
      if (left.stdout.trim() !== '') await runEngine(engine, ['rm', '-f', '-t', '0', ...left.stdout.trim().split('\n')]);
      const images = await runEngine(engine, ['images', '-q', '--filter', `reference=localhost/slipway/${APP}/*`]);
      await runEngine(engine, ['rmi', '-f', base, ...images.stdout.split('\n').filter((l) => l.trim() !== '')]);
    }
    tmp.cleanup();
  });

  it('loses no request and adopts the same containers', { timeout: 240_000 }, async (t) => {
    if (!engine) return t.skip();
    // GIVEN a container service with two tasks under a real `slipway up`
    let cp = up();
    await serverUp(cp);
    const first = await waitFor('two healthy container tasks', async () => {
      const s = await api.ok<Status>('GET', '/api/v1/status');
      const tasks = webTasks(s);
      return tasks.length === 2 && tasks.every((x) => x.state === 'Healthy') ? s : undefined;
    }, 120_000);
    const ingress = first.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    const tasksBefore = webTasks(first).map((x) => x.id).sort();
    await waitFor('the ingress to route to both tasks', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`http://127.0.0.1:${ingress}/`).catch(() => undefined);
        if (r?.status === 200) seen.add(await r.text());
      }
      return seen.size === 2 ? true : undefined;
    }, 30_000);
    const before = await containers();
    expect([...before.values()].sort()).toEqual(tasksBefore);
    // AND the status says how they run: the revision's image, limited to the service's cpu (256 units) and memory
    const revision = first.runtime.environments[0]!.services.find((x) => x.name === 'web')!.revisions[0]!;
    expect(revision.container).toEqual({ image: `localhost/slipway/${APP}/web:${revision.revision}`, cpus: 0.25, memoryMiB: 512, limitsNotApplied: null });

    // WHEN steady load runs through the ingress
    const load = autocannon({ url: `http://127.0.0.1:${ingress}/`, connections: 8, duration: 40, timeout: 10 });
    const codes = new Map<number, number>();
    load.on('response', (_c, statusCode) => codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1));
    const errors: string[] = [];
    load.on('reqError', (err) => errors.push(err.message));
    await new Promise((r) => setTimeout(r, 3000));

    // AND the control plane is SIGKILLed, the load goes on without it for a while, and it is restarted
    cp.child.kill('SIGKILL');
    await cp.exited;
    await new Promise((r) => setTimeout(r, 3000));
    const during = await containers();
    fs.rmSync(path.join(dataDir, 'server.json'), { force: true });
    cp = up();
    await serverUp(cp);
    // AND the restarted control plane has taken over and keeps things as they are for a while
    const after = await waitFor('the restarted control plane to see both tasks healthy', async () => {
      const s = await api.ok<Status>('GET', '/api/v1/status');
      const tasks = webTasks(s);
      return tasks.length === 2 && tasks.every((x) => x.state === 'Healthy') ? s : undefined;
    }, 60_000);
    await new Promise((r) => setTimeout(r, 5000));
    load.stop();
    const result = await load;

    const total = [...codes.values()].reduce((a, b) => a + b, 0);
    const byCode = Object.fromEntries([...codes.entries()].sort(([a], [b]) => a - b));
    console.log(`container crash adoption: ${total} responses, by status ${JSON.stringify(byCode)}, ${result.errors} connection errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);

    // THEN every request got a successful answer
    expect(errors).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(total).toBeGreaterThan(500);
    // AND the containers that served before the crash are the ones serving after it: same ids, same tasks, no duplicates
    expect(during).toEqual(before);
    const final = await containers();
    expect(final).toEqual(before);
    expect(webTasks(after).map((x) => x.id).sort()).toEqual(tasksBefore);
    expect(after.runtime.environments[0]!.services.find((x) => x.name === 'web')!.revisions.map((r) => r.desiredCount)).toEqual([2]);
    // AND the event log says the restarted control plane adopted both tasks and started none
    const events = await api.ok<{ events: { seq: number; type: string; subject: string; data: Record<string, unknown> }[] }>('GET', '/api/v1/events?limit=5000');
    const adopted = events.events.filter((e) => e.type === 'task.adopted').map((e) => e.subject.replace(/^task\//, ''));
    expect(adopted.sort()).toEqual(tasksBefore);
    expect(events.events.filter((e) => e.type === 'task.started' && e.data.service === 'web')).toHaveLength(2);
    expect(events.events.filter((e) => e.type === 'task.exited' || e.type === 'task.start.failed')).toEqual([]);

    // WHEN the restarted control plane is stopped with Ctrl-C THEN no container of the app is left
    cp.child.kill('SIGINT');
    expect((await cp.exited).code).toBe(0);
    expect((await containers()).size).toBe(0);
  });
});
