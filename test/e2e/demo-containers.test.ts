import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, type CompiledEngine } from '../../src/images/index.js';
import type { EnvironmentsDto } from '../../src/shared/index.js';
import { assertPortFree, outputLine, slipway, startSlipway } from '../support/cli.js';
import { containerEngineOrSkip } from '../support/container-engine.js';

// `slipway demo --containers`: the example shop as containers, end to end — the pipeline builds each
// service's image from its Dockerfile, scans it and pushes it to the local registry, staging and
// production run those digests as containers behind the router, and a bad commit's canary is rolled
// back by its alarm to the previous image.

const REPO = path.resolve(import.meta.dirname, '../..');
const SERVICES = ['catalog', 'gateway', 'orders', 'payments'];

interface Run {
  status: string;
  stages: { name: string; status: string; actions: { name: string; output: { images?: { service: string; imageId: string; reference?: string; digest?: string; scan?: { status: string } }[] } }[] }[];
}

let engine: CompiledEngine | undefined;

beforeAll(async () => {
  engine = await containerEngineOrSkip('demo --containers');
}, 60_000);

describe('the demo as containers: images built, scanned and pushed by the pipeline, run behind the router, a bad canary rolled back', () => {
  const root = path.join(REPO, '.slipway', `e2e-demo-containers-${randomBytes(4).toString('hex')}`);
  const dir = path.join(root, 'demo');
  let demo: ReturnType<typeof startSlipway> | undefined;
  let base = '';
  let token = '';
  const line = (pattern: RegExp, timeoutMs: number, from = 0) => outputLine(demo!, pattern, timeoutMs, from);
  const api = async <T,>(route: string): Promise<T> => {
    const res = await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  /** Each service's image in an environment, as its revision's tasks run it. */
  const imagesIn = async (environment: string): Promise<Record<string, string[]>> => {
    const { environments } = await api<EnvironmentsDto>('/api/v1/environments');
    const env = environments.find((e) => e.name === environment)!;
    return Object.fromEntries(env.services.map((s) => [s.name, s.revisions.filter((r) => r.tasks.length > 0).map((r) => r.container?.image ?? 'process')]));
  };

  beforeAll(async () => {
    if (!engine) return;
    for (const port of [8080, 8081]) await assertPortFree(port);
    demo = startSlipway(['demo', '--containers', '--dir', dir, '--port', '0', '--approve-after', '1', '--rate', '20'], { cwd: REPO });
    const up = await line(/slipway is up: API (\S+)\/api\/v1/, 120_000);
    base = up[1]!;
    token = fs.readFileSync(path.join(dir, 'data', 'token'), 'utf8').trim();
  }, 150_000);

  afterAll(async () => {
    // The images this demo built (pulled back by digest under the same ids) leave the engine's storage with it.
    const built = new Set<string>();
    for (const id of [1, 2]) {
      const run = await api<Run>(`/api/v1/pipeline/runs/${id}`).catch(() => undefined);
      for (const i of run?.stages.find((s) => s.name === 'Images')?.actions[0]?.output.images ?? []) built.add(i.imageId);
    }
    if (demo) {
      demo.child.kill('SIGINT');
      const killed = setTimeout(() => demo?.child.kill('SIGKILL'), 30_000);
      await demo.exited;
      clearTimeout(killed);
    }
    if (engine && built.size > 0) await runEngine(engine, ['rmi', '-f', ...built]);
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('builds, scans and pushes every image, then runs them as containers in staging and production', async (t) => {
    if (!engine) return t.skip();
    // GIVEN the demo's own copy of the shop, as containers on a Node base built from this machine's node
    expect(demo!.output.stdout).toMatch(/made the demo's own git repository of the shop in .* \(as containers\)/);
    expect(demo!.output.stdout).toMatch(/base image localhost\/slipway\/host-node:\d+\.\d+\.\d+/);
    // WHEN its first commit goes through the pipeline
    await line(/▶ pipeline run #1 for commit [0-9a-f]{12}: Build → Test → Images → Staging → Approve → Production/, 30_000);
    await line(/production is live after \d+ s/, 600_000);

    // THEN the Images stage built, scanned and pushed one image per service to the local registry, by digest
    const run = await api<Run>('/api/v1/pipeline/runs/1');
    const images = run.stages.find((s) => s.name === 'Images')!;
    expect(images.status).toBe('Succeeded');
    const pushed = images.actions[0]!.output.images!;
    expect(pushed.map((i) => i.service).sort()).toEqual(SERVICES);
    for (const i of pushed) {
      expect(i.reference).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+/shop/${i.service}@sha256:[0-9a-f]{64}$`));
      expect(i.scan?.status).toBe('Passed');
    }
    const reference = Object.fromEntries(pushed.map((i) => [i.service, i.reference!]));
    // AND every service of both environments runs exactly those digests as containers
    for (const environment of ['staging', 'production']) {
      expect(await imagesIn(environment)).toEqual(Object.fromEntries(SERVICES.map((s) => [s, [reference[s]]])));
      const ps = await runEngine(engine!, ['ps', '--filter', `label=io.slipway.environment=${environment}`, '--filter', 'label=io.slipway.app=shop', '--format', '{{.Labels}}']);
      expect(ps.code, ps.stderr).toBe(0);
      const running = ps.stdout.trim().split('\n').map((l) => /io\.slipway\.service:(\w+)/.exec(l)?.[1]).sort();
      // two gateway tasks (its scaling minimum), one of each other service
      expect(running).toEqual(['catalog', 'gateway', 'gateway', 'orders', 'payments']);
    }
    // AND the shop answers through the router from its containers
    const page = await fetch('http://127.0.0.1:8080/');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  }, 660_000);

  it('rolls a bad commit\'s canary back to the previous image when its alarm fires', async (t) => {
    if (!engine) return t.skip();
    const before = await imagesIn('production');
    // GIVEN a commit whose payments fail every charge
    const from = demo!.output.stdout.length;
    const broke = await slipway(['demo', 'break', '--dir', dir], { cwd: REPO, timeoutMs: 30_000 });
    expect(broke.code, broke.stderr).toBe(0);
    await line(/▶ pipeline run #2 /, 30_000, from);
    // WHEN its image reaches production as a canary
    await line(/⇢ payments → production: /, 420_000, from);
    // THEN the alarm fires and payments is rolled back to the image it ran before
    await line(/! alarm gateway-5xx: OK → ALARM/, 180_000, from);
    await line(/↩ payments in production rolled back to /, 90_000, from);
    await expect.poll(async () => (await imagesIn('production')).payments, { timeout: 30_000, interval: 1000 }).toEqual(before.payments);
    const run2 = await api<Run>('/api/v1/pipeline/runs/2');
    const newPayments = run2.stages.find((s) => s.name === 'Images')!.actions[0]!.output.images!.find((i) => i.service === 'payments')!.reference;
    expect(newPayments).not.toEqual(before.payments![0]);
  }, 720_000);
});
