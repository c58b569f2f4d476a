import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { DeploymentDetailDto, DeploymentShadowDto } from '../../src/shared/index.js';
import { deploymentEvents, newRevisionWeights, waitForDeployment } from '../support/deployment-events.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/** One JSON service behind the ingress, one task. */
function writeConfig(dir: string): string {
  const file = path.join(dir, 'slipway.config.json');
  const app = {
    name: 'shadowed',
    services: {
      api: {
        path: FIXTURES,
        start: 'node shadow-service.mjs',
        ingress: { pathPrefix: '/' },
        health: { path: '/healthz', interval: '500ms', timeout: '400ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' },
        scaling: { min: 1, max: 1 },
      },
    },
    environments: { production: { ingressPort: 0 } },
  };
  fs.writeFileSync(file, JSON.stringify(app, null, 2));
  return file;
}

/**
 * Shadow steps in a real control plane, with the real router process and real service
 * processes: a revision that answers differently on 10 % of the requests is caught before it
 * gets any traffic and rolled back; one that differs only in declared noisy fields passes.
 */
describe('shadow traffic before a canary', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let ingress: string;
  const call = async <T>(method: string, url: string, body?: unknown) => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json<T & { error: { code: string; message: string } }>() };
  };
  const serving = () => cp.runtime!.environments.revisions.list({ environment: 'production', service: 'api' }).map((r) => `${r.revision}:${r.weightPercent}`);
  const shadowStrategy = (extra: Record<string, unknown> = {}) => ({
    type: 'canary',
    steps: [50, 100],
    interval: '300ms',
    shadow: { percent: 100, duration: '2s', maxDiffPercent: 1, minRequests: 20, ignore: ['$.timestamp', '$.requestId'], ...extra },
  });

  /** Sends GET /items/<n> for n = 0, 1, 2 … through the ingress until `done` resolves; returns what clients saw. */
  async function load(done: Promise<unknown>): Promise<{ sent: number; wrongPrices: number; errors: number }> {
    let finished = false;
    void done.finally(() => (finished = true));
    const seen = { sent: 0, wrongPrices: 0, errors: 0 };
    const worker = async (offset: number) => {
      for (let n = offset; !finished; n += 2) {
        try {
          const res = await fetch(`${ingress}/items/${n}`);
          const item = (await res.json()) as { price: number };
          seen.sent++;
          // The client always gets the primary's answer: the old revision's prices.
          if (res.status !== 200 || item.price !== n * 10) seen.wrongPrices++;
        } catch {
          seen.errors++;
        }
      }
    };
    await Promise.all([worker(0), worker(1)]);
    return seen;
  }

  beforeAll(async () => {
    tmp = tempDir();
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: writeConfig(tmp.path), drainMs: 100, otlpPort: null, xrayPort: null });
    await waitFor('api healthy and routed', () => {
      const first = serving()[0]?.split(':')[0];
      const h = first === undefined ? undefined : cp.runtime!.environments.revisionHealth('production', 'api', first);
      return h !== undefined && h.healthyCount === 1 && h.routed ? true : undefined;
    }, 30_000);
    const status = await cp.runtime!.status();
    ingress = `http://127.0.0.1:${status.router.listeners.find((l) => l.kind === 'ingress')!.port}`;
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('refuses a shadow with a bad JSON path or percent, and a shadow on a rolling strategy, with a clear 400 and applies nothing', async () => {
    const before = serving();
    for (const [strategy, needle] of [
      [shadowStrategy({ ignore: ['timestamp'] }), 'body.strategy.shadow.ignore[0]'],
      [shadowStrategy({ percent: 150 }), 'body.strategy.shadow.percent'],
      [{ type: 'rolling', shadow: { duration: '1s' } }, 'shadow needs the new revision running beside the old one'],
    ] as const) {
      // GIVEN a bad shadow WHEN a deployment asks for it THEN 400 SLW_ERR_DEPLOY_STRATEGY_INVALID naming what is wrong
      const r = await call<unknown>('POST', '/api/v1/deployments', { service: 'api', environment: 'production', revision: 'bad-shadow', strategy });
      expect([r.status, r.body.error.code]).toEqual([400, 'SLW_ERR_DEPLOY_STRATEGY_INVALID']);
      expect(JSON.stringify(r.body)).toContain(needle);
    }
    expect(serving()).toEqual(before);
  });

  it('catches a revision whose answers differ on 10 % of requests: the step fails, no traffic moves to it, it is rolled back, the report lists the diffs', async () => {
    const old = serving()[0]!.split(':')[0]!;
    // GIVEN steady requests through the ingress WHEN a revision that prices every tenth item differently is deployed with a shadow step
    const r = await call<DeploymentDetailDto>('POST', '/api/v1/deployments', { service: 'api', environment: 'production', revision: 'v2-differs', env: { SHADOW_DIFF_EVERY: '10' }, strategy: shadowStrategy() });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const finished = waitForDeployment(cp.events, r.body.id, undefined, 60_000);
    const seen = await load(finished);
    // THEN it is rolled back by the shadow step
    expect((await finished).type).toBe('deployment.rolled_back');
    const d = (await call<DeploymentDetailDto>('GET', `/api/v1/deployments/${r.body.id}`)).body;
    expect(d.state).toBe('RolledBack');
    expect(d.rollback).toMatchObject({ trigger: 'shadow' });
    // AND the new revision never got real traffic: the only shift is the rollback's, and clients only saw old answers
    expect(newRevisionWeights(cp.events, d.id)).toEqual([0]);
    expect(seen).toMatchObject({ wrongPrices: 0, errors: 0 });
    expect(serving()).toEqual([`${old}:100`]);
    // AND the report: about 10 % differing, all on $.price, examples naming the request and the status pair
    const run = d.shadowRuns[0]!;
    expect(run.verdict).toBe('Failed');
    const report = run.report!;
    expect(report.compared).toBeGreaterThanOrEqual(20);
    expect(run.differingPercent!).toBeGreaterThan(5);
    expect(run.differingPercent!).toBeLessThan(15);
    expect(Object.keys(report.fields)).toEqual(['$.price']);
    expect(report.samples.length).toBeGreaterThan(0);
    for (const s of report.samples) {
      expect(s).toMatchObject({ method: 'GET', primaryStatus: 200, shadowStatus: 200, fields: ['$.price'], error: null });
      expect(Number(s.path.split('/')[2]) % 10).toBe(0);
    }
    expect(report.latency.primaryP99Ms).not.toBeNull();
    // AND the event says it failed
    const completed = deploymentEvents(cp.events, d.id).find((e) => e.type === 'deployment.shadow.completed');
    expect(completed?.data).toMatchObject({ verdict: 'Failed', passed: false, outcome: 'rollback', fields: { '$.price': report.differing } });
    // AND the router mirrors nothing any more
    const table = await cp.runtime!.router.client.table();
    expect(table.table!.services.every((s) => s.mirror === undefined)).toBe(true);

    // AND `slipway deployments show` prints the comparison
    const out = await cli('deployments', 'show', String(d.id));
    expect(out).toContain('shadow     step');
    expect(out).toContain('Failed');
    expect(out).toContain('differing fields: $.price');
    expect(out).toMatch(/GET +\/items\/\d*0 +200→200 +\$\.price/);
  }, 90_000);

  it('without the noisy fields declared, the same revision fails on them: the timestamp and request id do differ on every answer', async () => {
    const r = await call<DeploymentDetailDto>('POST', '/api/v1/deployments', { service: 'api', environment: 'production', revision: 'v2-noisy', strategy: shadowStrategy({ ignore: [] }) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const finished = waitForDeployment(cp.events, r.body.id, undefined, 60_000);
    await load(finished);
    expect((await finished).type).toBe('deployment.rolled_back');
    const report = (await call<DeploymentDetailDto>('GET', `/api/v1/deployments/${r.body.id}`)).body.shadowRuns[0]!.report!;
    expect(report.differing).toBe(report.compared);
    expect(report.fields['$.requestId']).toBe(report.compared);
    expect(Object.keys(report.fields).every((f) => f === '$.requestId' || f === '$.timestamp')).toBe(true);
  }, 90_000);

  it('passes a revision that differs only in declared noisy fields (a timestamp and a request id) and then shifts traffic to it', async () => {
    const r = await call<DeploymentDetailDto>('POST', '/api/v1/deployments', { service: 'api', environment: 'production', revision: 'v2-same', strategy: shadowStrategy() });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const finished = waitForDeployment(cp.events, r.body.id, undefined, 60_000);
    // WHILE the shadow step runs, its report so far can be read from the deployment's shadow sub-route
    const live = waitFor('a live shadow report', async () => {
      const s = (await call<DeploymentShadowDto>('GET', `/api/v1/deployments/${r.body.id}/shadow`)).body;
      return s.live !== null && s.live.compared > 0 ? s : undefined;
    }, 30_000);
    const seen = await load(finished);
    expect((await live).live).toMatchObject({ id: `deployment-${r.body.id}.step-1`, revision: 'v2-same', differing: 0 });
    expect((await finished).type).toBe('deployment.succeeded');
    // AND once it is over the sub-route holds the run and nothing live
    expect((await call<DeploymentShadowDto>('GET', `/api/v1/deployments/${r.body.id}/shadow`)).body).toMatchObject({ live: null, runs: [{ verdict: 'Successful' }] });
    const d = (await call<DeploymentDetailDto>('GET', `/api/v1/deployments/${r.body.id}`)).body;
    const run = d.shadowRuns[0]!;
    expect([run.verdict, run.differingPercent, run.report!.differing]).toEqual(['Successful', 0, 0]);
    expect(run.report!.compared).toBeGreaterThanOrEqual(20);
    expect(newRevisionWeights(cp.events, d.id)).toEqual([50, 100]);
    expect(seen.errors).toBe(0);
    expect(serving()).toEqual(['v2-same:100']);
    const completed = deploymentEvents(cp.events, d.id).find((e) => e.type === 'deployment.shadow.completed');
    expect(completed?.data).toMatchObject({ verdict: 'Successful', passed: true, outcome: 'continue' });
  }, 90_000);

  /** Runs the CLI in process against the control plane; returns its output. */
  async function cli(...args: string[]): Promise<string> {
    const out: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    vi.stubEnv('SLIPWAY_TOKEN', cp.token);
    try {
      const code = await main(['node', 'slipway', '--url', cp.url, ...args]);
      expect(code).toBe(0);
      return out.join('');
    } finally {
      o.mockRestore();
      vi.unstubAllEnvs();
    }
  }
});
