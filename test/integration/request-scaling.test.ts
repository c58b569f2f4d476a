import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

interface ScaledData {
  from: number;
  to: number;
  metric: string;
  measured: number;
  target: number;
  reason: string;
}

/** One service behind the ingress that tracks 600 requests per task per minute (10 a second), 1 to 3 tasks, short cooldowns. */
function writeConfig(dir: string): string {
  const file = path.join(dir, 'slipway.config.json');
  const app = {
    name: 'scaled',
    services: {
      web: {
        path: FIXTURES,
        start: 'node slow-ready.mjs',
        ingress: { pathPrefix: '/' },
        health: { path: '/healthz', interval: '200ms', timeout: '150ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' },
        scaling: { min: 1, max: 3, targetRequestsPerTask: 600, scaleOutCooldown: '1s', scaleInCooldown: '2s' },
      },
    },
    environments: { local: { ingressPort: 0 } },
  };
  fs.writeFileSync(file, JSON.stringify(app, null, 2));
  return file;
}

const scaled = (cp: ControlPlane): ScaledData[] => cp.events.list({ type: 'service.scaled', limit: 1000 }).map((e: SlipwayEvent) => e.data as unknown as ScaledData);

describe('request-based scaling (scaling.targetRequestsPerTask)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('scales out on the router’s requests per task under load, and back in once the load stops', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN a service at 1 task that tracks 600 requests per task per minute, the autoscaler evaluating
    // every 500 ms over a 3 s window, and the router's metrics published into telemetry every 500 ms
    const configFile = writeConfig(tmp.path);
    const cp = await startControlPlane({
      dataDir: path.join(tmp.path, 'data'),
      port: 0,
      configFile,
      drainMs: 50,
      otlpPort: null,
      xrayPort: null,
      autoscaling: { intervalMs: 500, requestWindowMs: 3000 },
      routerMetricsIntervalMs: 500,
    });
    cleanups.push(() => cp.close({ stopTasks: true }));
    const healthy = () => cp.runtime!.supervisor.listTasks({ service: 'web', states: ['Healthy'] });
    await waitFor('web healthy and routed', () => (healthy().length === 1 && cp.runtime!.environments.traffic.routes(healthy().map((t) => t.id)) ? true : undefined), 20_000);
    const status = await cp.runtime!.status();
    const ingress = `http://127.0.0.1:${status.router.listeners.find((l) => l.kind === 'ingress')!.port}`;
    expect(scaled(cp)).toEqual([]);

    // WHEN requests flow through the ingress, 4 at a time (far over 10 a second), until the service scales out (at most 20 s)
    let served = 0;
    const deadline = Date.now() + 20_000;
    const worker = async () => {
      while (Date.now() < deadline && !scaled(cp).some((s) => s.to > s.from)) {
        const res = await fetch(`${ingress}/work`);
        await res.text();
        if (res.status === 200) served++;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    // THEN it scaled out on RequestCountPerTarget, measured above the target (the count depends on how much of
    // the window the load had filled), and the new tasks come up
    const out = scaled(cp).find((s) => s.to > s.from);
    expect(out, `no scale-out after ${served} requests`).toMatchObject({ from: 1, metric: 'RequestCountPerTarget', target: 600 });
    expect(out!.to).toBeGreaterThanOrEqual(2);
    expect(out!.measured).toBeGreaterThan(600);
    const everHealthy = () => new Set(cp.events.list({ type: 'task.health.changed', limit: 1000 }).filter((e) => (e.data as { to: string }).to === 'Healthy').map((e) => e.subject));
    await waitFor(`${out!.to} tasks healthy`, () => (everHealthy().size >= out!.to ? true : undefined), 20_000);

    // WHEN the load has stopped THEN, as the window empties and the 2 s cooldown passes, it scales back in to 1 task
    const last = await waitFor('a scale-in to 1', () => scaled(cp).find((s) => s.to === 1 && s.from > 1), 20_000);
    expect(last).toMatchObject({ metric: 'RequestCountPerTarget', target: 600 });
    expect(last.measured).toBeLessThan(600);
    expect(scaled(cp).filter((s) => s.to < s.from).every((s) => s.metric === 'RequestCountPerTarget' && s.measured < 600)).toBe(true);
    await waitFor('1 task left', () => (cp.runtime!.supervisor.listTasks({ service: 'web', states: ['Starting', 'Healthy', 'Unhealthy', 'Stopping'] }).length === 1 ? true : undefined), 20_000);
  });
});
