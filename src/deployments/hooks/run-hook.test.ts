import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook, type HookContext } from './run-hook.js';

const ctx: HookContext = { deploymentId: 7, hook: 'AfterInstall', service: 'gateway', environment: 'production', fromRevision: 'a', toRevision: 'b', testUrl: undefined, serviceUrl: undefined, cwd: process.cwd() };

describe('runHook', () => {
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  it('passes a command that exits 0 and hands it the deployment in its environment', async () => {
    // GIVEN a command echoing its variables WHEN run THEN it passes and its output is kept
    const r = await runHook({ kind: 'Command', command: 'echo "$SLIPWAY_DEPLOYMENT_ID $SLIPWAY_SERVICE $SLIPWAY_FROM_REVISION->$SLIPWAY_TO_REVISION"', timeoutMs: 5000 }, ctx);
    expect(r).toMatchObject({ ok: true, exitCode: 0, output: '7 gateway a->b\n' });
  });

  it('fails a command that exits non-zero or runs past its timeout', async () => {
    // GIVEN a failing command and a slow one WHEN run THEN both fail with a reason
    expect(await runHook({ kind: 'Command', command: 'echo nope >&2; exit 3', timeoutMs: 5000 }, ctx)).toMatchObject({ ok: false, exitCode: 3, message: 'exited 3', output: 'nope\n' });
    const slow = await runHook({ kind: 'Command', command: 'sleep 5', timeoutMs: 100 }, ctx);
    expect(slow.ok).toBe(false);
    expect(slow.durationMs).toBeLessThan(4000);
  });

  it('POSTs the deployment to a URL hook; 2xx passes, anything else fails', async () => {
    // GIVEN a server that accepts only deployment 7
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as { deploymentId: number };
        bodies.push(body);
        res.writeHead(body.deploymentId === 7 ? 204 : 500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    // WHEN the hook is called for deployment 7 and for deployment 8
    const ok = await runHook({ kind: 'Url', url, timeoutMs: 2000 }, ctx);
    const bad = await runHook({ kind: 'Url', url, timeoutMs: 2000 }, { ...ctx, deploymentId: 8 });
    // THEN the first passes, the second fails, and the body named the hook and revisions
    expect(ok).toMatchObject({ ok: true, httpStatus: 204 });
    expect(bad).toMatchObject({ ok: false, httpStatus: 500 });
    expect(bodies[0]).toMatchObject({ hook: 'AfterInstall', service: 'gateway', fromRevision: 'a', toRevision: 'b' });
  });
});
