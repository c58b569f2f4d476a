import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterEach, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { killDataPlane } from '../support/data-plane.js';
import { writeShopConfig } from '../support/shop.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

interface Status {
  runtime: {
    environments: { services: { name: string; revisions: { revision: string; weightPercent: number; tasks: { id: string; state: string }[] }[] }[] }[];
    router: { listeners: { kind: string; port: number }[] };
  };
}

const SERVICES = ['gateway', 'catalog', 'orders', 'payments'];
const ENV = '/api/v1/environments/production/services';

/**
 * The data plane under steady load while everything around it changes: a
 * second revision is brought in and given 0→100% of the traffic in steps,
 * every task is replaced once, and the control plane is SIGKILLed and
 * restarted. The router must answer every request: no 5xx, no connection error.
 */
describe('reliability: no request lost through weight shifts, task replacement and a control-plane crash', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('answers every request', { timeout: 120_000 }, async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const configFile = writeShopConfig(tmp.path);
    const dataDir = path.join(tmp.path, 'data');
    cleanups.push(() => killDataPlane(dataDir));
    const api = new TestApi(dataDir);
    const up = () => {
      const p = startSlipway(['up', '--config', configFile, ...FREE_PORTS, '--data', dataDir]);
      cleanups.push(() => void (p.child.exitCode === null && p.child.kill('SIGKILL')));
      return p;
    };
    const serverUp = () => waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 30_000);
    const status = () => api.ok<Status>('GET', '/api/v1/status');
    const tasksOf = (s: Status, service: string, revision: string) =>
      s.runtime.environments[0]!.services.find((x) => x.name === service)!.revisions.find((r) => r.revision === revision)?.tasks ?? [];

    // GIVEN the shop running under `slipway up` (a real process)
    let cp = up();
    await serverUp();
    const first = await waitFor('all tasks healthy', async () => {
      const s = await status();
      const all = s.runtime.environments[0]!.services.flatMap((x) => x.revisions.flatMap((r) => r.tasks));
      return all.length === 4 && all.every((t) => t.state === 'Healthy') ? s : undefined;
    }, 30_000);
    const revA = first.runtime.environments[0]!.services[0]!.revisions[0]!.revision;
    const ingress = first.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    // Wait until the ingress routes (the first healthy registration may trail the status by a sync).
    await waitFor('the ingress to route', async () => ((await fetch(`http://127.0.0.1:${ingress}/api/products?limit=1`)).status === 200 ? true : undefined));

    // WHEN steady load runs through the ingress: browsing and checkouts
    const load = autocannon({
      url: `http://127.0.0.1:${ingress}`,
      connections: 8,
      duration: 55,
      timeout: 10,
      requests: [
        { method: 'GET', path: '/api/products?limit=5' },
        { method: 'GET', path: '/api/products/7' },
        { method: 'POST', path: '/api/checkout', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 3, quantity: 1, card: '4242 4242 4242 4242' }) },
      ],
    });
    const codes = new Map<number, number>();
    load.on('response', (_c, statusCode) => codes.set(statusCode, (codes.get(statusCode) ?? 0) + 1));
    const errors: string[] = [];
    load.on('reqError', (err) => errors.push(err.message));
    const started = Date.now();

    // AND a second revision of the gateway takes 0 → 100% of the traffic in steps
    await api.ok('POST', `${ENV}/gateway/revisions`, { revision: 'b', sourceDir: tmp.path });
    await waitFor('revision b to be routable', async () => ((await api.call('PUT', `${ENV}/gateway/traffic`, { weights: { [revA]: 100, b: 0 } })).status === 200 && tasksOf(await status(), 'gateway', 'b').some((t) => t.state === 'Healthy') ? true : undefined), 30_000);
    for (const w of [10, 25, 50, 75, 100]) {
      await waitFor(`the ${w}% step`, async () => ((await api.call('PUT', `${ENV}/gateway/traffic`, { weights: { [revA]: 100 - w, b: w } })).status === 200 ? true : undefined), 15_000);
      await new Promise((r) => setTimeout(r, 600));
    }

    // AND every task is replaced once
    for (const service of SERVICES) {
      await api.ok('POST', `${ENV}/${service}/revisions/${service === 'gateway' ? 'b' : revA}/replace-tasks`);
    }

    // AND the control plane is killed with SIGKILL, the load goes on without it, and it is restarted
    cp.child.kill('SIGKILL');
    await cp.exited;
    await new Promise((r) => setTimeout(r, 1500));
    fs.rmSync(path.join(dataDir, 'server.json'), { force: true });
    cp = up();
    await serverUp();
    // AND the restarted control plane takes over: it retires the old gateway revision
    await api.ok('DELETE', `${ENV}/gateway/revisions/${revA}`);
    await new Promise((r) => setTimeout(r, 1000));
    load.stop();
    const result = await load;
    const events = await api.ok<{ events: { type: string; data: Record<string, unknown> }[] }>('GET', '/api/v1/events?limit=5000');

    const total = [...codes.values()].reduce((a, b) => a + b, 0);
    const byCode = Object.fromEntries([...codes.entries()].sort(([a], [b]) => a - b));
    console.log(
      `router reliability: ${total} responses in ${((Date.now() - started) / 1000).toFixed(1)} s, by status ${JSON.stringify(byCode)}, ` +
        `${result.errors} connection errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );

    // THEN every request got a successful answer
    expect(errors).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(Object.keys(byCode).every((c) => Number(c) < 300)).toBe(true);
    expect(total).toBeGreaterThan(500);
    // AND what the test meant to happen did happen, as the event log tells it
    const shifts = events.events.filter((e) => e.type === 'service.traffic.shifted').map((e) => (e.data.to as Record<string, number>).b);
    expect(shifts.slice(-5)).toEqual([10, 25, 50, 75, 100]);
    expect(events.events.filter((e) => e.type === 'service.task.replaced')).toHaveLength(4);
    expect(events.events.filter((e) => e.type === 'router.adopted')).toHaveLength(1);
    expect(events.events.filter((e) => e.type === 'task.adopted').length).toBeGreaterThanOrEqual(4);
    expect(events.events.filter((e) => e.type === 'service.revision.stopped').map((e) => e.data.revision)).toEqual([revA]);

    cp.child.kill('SIGINT');
    expect((await cp.exited).code).toBe(0);
  });
});
