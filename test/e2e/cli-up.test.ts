import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FREE_PORTS, slipway, startSlipway } from '../support/cli.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

describe('slipway up / status / events (real processes)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('starts, records its address, answers client verbs, and stops cleanly on SIGTERM', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN `slipway up` on a free port in an empty directory
    const up = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path, env: { SLIPWAY_TOKEN: '' } });
    cleanups.push(() => up.child.exitCode === null && up.child.kill('SIGKILL'));
    const serverFile = path.join(tmp.path, '.slipway', 'server.json');
    await waitFor('server.json', () => (fs.existsSync(serverFile) ? true : undefined));
    const record = JSON.parse(fs.readFileSync(serverFile, 'utf8')) as { url: string; ports: { api: number } };
    await waitFor('the banner', () => (up.output.stdout.includes('Press Ctrl-C') ? true : undefined));
    expect(up.output.stdout).toContain(`API        ${record.url}/api/v1`);
    // THEN the token file is private
    expect(fs.statSync(path.join(tmp.path, '.slipway', 'token')).mode & 0o777).toBe(0o600);

    // WHEN client verbs run in the same directory
    const env = { SLIPWAY_TOKEN: undefined, SLIPWAY_URL: undefined };
    const status = await slipway(['status', '--json'], { cwd: tmp.path, env });
    expect(status.code).toBe(0);
    const body = JSON.parse(status.stdout) as { server: { ports: { api: number }; pid: number } };
    expect(body.server.ports.api).toBe(record.ports.api);
    expect(body.server.pid).toBe(up.child.pid);
    const events = await slipway(['events', '--json'], { cwd: tmp.path, env });
    expect(JSON.parse(events.stdout).map((e: { type: string }) => e.type)).toEqual(['controlplane.started']);

    // AND a wrong token gets one clear line and exit 1
    const denied = await slipway(['status'], { cwd: tmp.path, env: { SLIPWAY_TOKEN: 'wrong' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('slipway: Unauthorized\n');

    // WHEN it gets SIGTERM THEN it stops with exit 0 and removes its address record
    up.child.kill('SIGTERM');
    expect((await up.exited).code).toBe(0);
    expect(fs.existsSync(serverFile)).toBe(false);
    const after = await slipway(['events', '--json', '--type', 'controlplane'], { cwd: tmp.path, env: { SLIPWAY_URL: record.url } });
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^slipway: cannot reach slipway at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is `slipway up` running\?\n$/);
  });

  it('refuses a second `slipway up` on the same data directory', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const first = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path });
    cleanups.push(() => first.child.exitCode === null && first.child.kill('SIGKILL'));
    await waitFor('server.json', () => (fs.existsSync(path.join(tmp.path, '.slipway', 'server.json')) ? true : undefined));
    const second = await slipway(['up', ...FREE_PORTS], { cwd: tmp.path });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`slipway: ${fs.realpathSync(tmp.path)}/.slipway is in use by another slipway (pid ${first.child.pid})\n`);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
  });

  it('takes over the lock of a control plane that was killed with SIGKILL', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const first = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path });
    await waitFor('server.json', () => (fs.existsSync(path.join(tmp.path, '.slipway', 'server.json')) ? true : undefined));
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path });
    cleanups.push(() => second.child.exitCode === null && second.child.kill('SIGKILL'));
    await waitFor('the second control plane', () => (second.output.stdout.includes('slipway is up') ? true : undefined));
    const events = await slipway(['events', '--json'], { cwd: tmp.path });
    expect(JSON.parse(events.stdout).map((e: { type: string }) => e.type)).toEqual(['controlplane.started', 'controlplane.started']);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
