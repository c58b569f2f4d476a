import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, signalProcessGroup } from '../../core/index.js';
import { tempDir, waitFor } from '../../../test/support/temp-dir.js';
import { ensureRouter, type RouterHandle } from './ensure-router.js';

describe('ensureRouter (a real router process)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('starts a router once, adopts it afterwards, and it keeps serving its table across a new control-plane handle', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const backend = http.createServer((_req, res) => res.end('hello from the task'));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => backend.close(() => r())));
    const backendPort = (backend.address() as { port: number }).port;
    const stateDir = path.join(tmp.path, 'router');

    // GIVEN a router started by one control plane, with a table applied
    const first: RouterHandle = await ensureRouter({ stateDir });
    cleanups.push(() => first.stop());
    expect(first.adopted).toBe(false);
    expect(isAlive(first.info.pid)).toBe(true);
    await first.client.applyTable({
      version: 1,
      listeners: [{ id: 'prod.web', kind: 'service', environment: 'prod', service: 'web', port: 0 }],
      services: [{ environment: 'prod', service: 'web', targetGroups: [{ id: 'prod.web.r1', revision: 'r1', weightPercent: 100, targets: [{ id: 't1', port: backendPort }] }] }],
    });
    const port = (await first.client.table()).status.listeners.find((l) => l.id === 'prod.web')!.port;

    // WHEN another control plane (a restart) asks for the router
    const second = await ensureRouter({ stateDir });
    cleanups.push(() => second.client.close());

    // THEN it adopts the same process, which still serves the table
    expect(second.adopted).toBe(true);
    expect(second.info.pid).toBe(first.info.pid);
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(body).toBe('hello from the task');
    expect((await second.client.health()).version).toBe(1);

    // AND stop() ends it
    await first.stop();
    expect(isAlive(first.info.pid)).toBe(false);
    expect(fs.readFileSync(path.join(stateDir, 'router.log'), 'utf8')).toContain('router serving');
  });

  it('comes back with the last answered weights when the router process is killed right after a weight change', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const backends = await Promise.all(
      ['blue', 'green'].map(async (name) => {
        const server = http.createServer((_req, res) => res.end(name));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
        return (server.address() as { port: number }).port;
      }),
    );
    const stateDir = path.join(tmp.path, 'router');
    // GIVEN a router process serving blue
    const first = await ensureRouter({ stateDir });
    cleanups.push(() => first.stop());
    await first.client.applyTable({
      version: 1,
      listeners: [{ id: 'prod.web', kind: 'service', environment: 'prod', service: 'web', port: 0 }],
      services: [
        {
          environment: 'prod',
          service: 'web',
          targetGroups: [
            { id: 'blue', revision: 'r1', weightPercent: 100, targets: [{ id: 'b', port: backends[0]! }] },
            { id: 'green', revision: 'r2', weightPercent: 0, targets: [{ id: 'g', port: backends[1]! }] },
          ],
        },
      ],
    });
    // WHEN a weight change is answered and the process is SIGKILLed at once (before it rewrites table.json)
    const answer = await first.client.setWeights({ environment: 'prod', service: 'web', weights: { blue: 0, green: 100 } });
    signalProcessGroup(first.info.pid, 'SIGKILL');
    await waitFor('the router to die', () => (isAlive(first.info.pid) ? undefined : true));
    expect(answer.status.version).toBe(2);

    // THEN a new router process serves the answered weights at the answered version
    const second = await ensureRouter({ stateDir });
    cleanups.push(() => second.stop());
    expect(second.adopted).toBe(false);
    expect(await second.client.verifyWeights('prod', 'web')).toMatchObject({ version: 2, weights: { blue: 0, green: 100 } });
    const port = (await second.client.table()).status.listeners.find((l) => l.id === 'prod.web')!.port;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('green');
  });
});
