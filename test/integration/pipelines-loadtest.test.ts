import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { LoadTestOutputDto, PipelineRunDto, PipelineRunListDto } from '../../src/shared/index.js';
import { slipway } from '../support/cli.js';
import { commitModel, git, type FixtureModel } from '../support/iac-repo.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

/** A service whose every answer (but the health check) takes `delayMs`: the latency knob of a revision. */
const server = (delayMs: number) => `const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  setTimeout(() => res.end('web'), ${delayMs});
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

// Far apart, so that a busy machine's slow requests cannot pass for the slow revision's, nor the reverse.
const P99_LIMIT_MS = 300;
const SLOW_MS = 600;
const PIPELINE = `{ trigger: { branches: ['main'] }, stages: [
    { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
    { name: 'Load', actions: [{ type: 'loadtest', target: { environment: 'staging', path: '/shop?q=1' }, duration: '2s', concurrency: 24, ratePerSecond: 30, thresholds: { p99Ms: ${P99_LIMIT_MS}, errorRate: 0.01, minRequests: 30 } }] },
  ] }`;
const model = (): FixtureModel => ({ services: { web: { ingress: '/' } }, environments: { staging: {} }, pipeline: PIPELINE });

/**
 * The Done-when of the load-test gate: a pipeline deploys a revision to staging through the real
 * control plane and router, then loads staging's ingress. A fast revision passes and the run
 * succeeds; a revision whose p99 is above the threshold fails the stage and the run, with the
 * figures stored on the run.
 */
describe('a load-test stage gates the run on the deployed revision\'s p99 (real control plane, router and tasks)', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  const call = async <T>(url: string): Promise<T> => {
    const res = await cp.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${cp.token}` } });
    if (res.statusCode >= 400) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const ended = (id: number) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await call<PipelineRunDto>(`/api/v1/pipeline/runs/${id}`).catch(() => undefined);
      return r && ['Succeeded', 'Failed', 'Stopped'].includes(r.status) ? r : undefined;
    }, 90_000);
  const runOf = (sha: string) => waitFor(`a run of ${sha.slice(0, 12)}`, async () => (await call<PipelineRunListDto>('/api/v1/pipeline/runs')).runs.find((r) => r.commitSha === sha)?.id, 30_000);
  const loadOf = (run: PipelineRunDto) => run.stages[1]!.actions[0]!;

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(path.join(repo, 'services', 'web'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'services', 'web', 'server.cjs'), server(0));
    await commitModel(repo, model(), 'web answers at once');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, pollIntervalMs: 200 });
  }, 120_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('passes a fast revision and fails a slow one, naming the p99 it measured, with the figures on the run', async () => {
    // GIVEN the first run, of the fast revision WHEN it deploys and loads staging THEN the load stage and the run succeed
    const fast = await ended(1);
    expect(fast.status, JSON.stringify(fast.stages)).toBe('Succeeded');
    const fastLoad = loadOf(fast).output.loadTest as LoadTestOutputDto;
    expect(fastLoad.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shop\?q=1$/);
    expect(fastLoad).toMatchObject({ environment: 'staging', service: 'web', errors: 0, byStatus: { '200': fastLoad.requests } });
    expect(fastLoad.requests).toBeGreaterThanOrEqual(30);
    expect(fastLoad.latencyMs!.p99).toBeLessThan(P99_LIMIT_MS);
    expect(fastLoad.thresholds.map((t) => [t.threshold, t.ok])).toEqual([['p99Ms', true], ['errorRate', true], ['minRequests', true]]);

    // WHEN a commit makes every answer take SLOW_MS
    fs.writeFileSync(path.join(repo, 'services', 'web', 'server.cjs'), server(SLOW_MS));
    await git(repo, 'commit', '-qam', `web sleeps ${SLOW_MS} ms per request`);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    const slow = await ended(await runOf(sha));

    // THEN the deploy succeeds, the load stage fails naming p99 with the measured value, and the run fails
    expect(slow.stages[0]!.status).toBe('Succeeded');
    expect(slow.status).toBe('Failed');
    const action = loadOf(slow);
    expect(action.status).toBe('Failed');
    const slowLoad = action.output.loadTest as LoadTestOutputDto;
    expect(slowLoad.latencyMs!.p99).toBeGreaterThanOrEqual(SLOW_MS);
    expect(action.reason).toBe(`load test failed: p99 latency ${slowLoad.latencyMs!.p99} ms is above the threshold p99Ms ${P99_LIMIT_MS} ms`);
    expect(slowLoad.thresholds.find((t) => t.threshold === 'p99Ms')).toEqual({ threshold: 'p99Ms', limit: P99_LIMIT_MS, value: slowLoad.latencyMs!.p99, ok: false });

    // AND the figures are in the event log and in the run log
    const events = cp.events.list({ type: 'pipeline.loadtest.completed', limit: 10 }).filter((e) => e.type === 'pipeline.loadtest.completed');
    expect(events.map((e) => (e.data as { passed: boolean }).passed)).toEqual([true, false]);
    expect(events[1]!.data).toMatchObject({ runId: slow.id, stage: 'Load', action: 'loadtest', environment: 'staging', p99Ms: slowLoad.latencyMs!.p99, breaches: [action.reason!.replace('load test failed: ', '')] });
    const logs = await call<{ lines: { line: string }[] }>(`/api/v1/pipeline/runs/${slow.id}/logs?action=Load.loadtest`);
    expect(logs.lines.map((l) => l.line)).toEqual(expect.arrayContaining([`FAIL p99Ms <= ${P99_LIMIT_MS}: measured ${slowLoad.latencyMs!.p99}`]));

    // AND `slipway pipeline show` prints them under the action
    const cli = await slipway(['pipeline', 'show', String(slow.id), '--url', cp.url], { cwd: repo, env: { SLIPWAY_TOKEN: cp.token } });
    expect(cli.stdout).toContain(`p99 ${slowLoad.latencyMs!.p99}`);
    expect(cli.stdout).toContain(`FAIL p99Ms <= ${P99_LIMIT_MS}: measured ${slowLoad.latencyMs!.p99}`);
  }, 240_000);
});
