import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { findRegistryBinary, runEngine, type CompiledEngine } from '../../src/images/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { DeploymentDto, ImageActionOutputDto, ImageRepositoryListDto, PipelineRunDto } from '../../src/shared/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { killDataPlane } from '../support/data-plane.js';
import { routerOf, shopLoad, sumCounter } from '../support/deployment-harness.js';
import { buildHostNodeImage } from '../support/host-node-image.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const server = (greeting: string, status = 200) => `import http from 'node:http';
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.statusCode = ${status};
  res.end('${greeting}');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

// An AWS access key id as the secret scanner's rules know it (joined here so this file holds none).
const PLANTED = `AWS_ACCESS_KEY_ID=${['AKIA', 'Q3EGRTWXK7PZ4M2N'].join('')}\n`;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The image action through the real control plane: a service's Dockerfile is built, scanned and
 * pushed to the local registry by the pipeline; the deploy stage runs exactly that digest as a
 * container canary behind the router; an alarm during the canary rolls it back under load with no
 * request failed by the router; a planted key in one layer fails the next run at the image action,
 * naming the layer and the file, and nothing of it is pushed or deployed.
 */
describe('container images through the pipeline', () => {
  const tmp = tempDir('slipway-images-pipeline-');
  const repo = path.join(tmp.path, 'repo');
  const dataDir = path.join(tmp.path, 'data');
  const base = `localhost/slipway-test/pipeline-base:${process.pid}`;
  let engine: CompiledEngine | undefined;
  let cp: ControlPlane | undefined;
  let ingress = 0;

  const call = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await cp!.app.inject({ method, url, headers: { authorization: `Bearer ${cp!.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: (String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body) as T };
  };
  const runEnded = (id: number, timeoutMs = 120_000) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await call<PipelineRunDto>('GET', `/api/v1/pipeline/runs/${id}`);
      return r.status === 200 && ['Succeeded', 'Failed', 'Stopped'].includes(r.body.status) ? r.body : undefined;
    }, timeoutMs, 100);
  const imageOutput = (run: PipelineRunDto) => run.stages.flatMap((s) => s.actions).find((a) => a.type === 'image')!;
  const answer = async () => (await fetch(`http://127.0.0.1:${ingress}/`).then((r) => r.text()).catch(() => ''));

  beforeAll(async () => {
    if (findRegistryBinary() === undefined) {
      process.stderr.write('SKIPPED images-pipeline: no distribution registry installed (apt-get install -y docker-registry).\n');
      return;
    }
    engine = await containerEngineOrSkip('images-pipeline');
    if (!engine) return;
    await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
    const web = path.join(repo, 'services', 'web');
    fs.mkdirSync(web, { recursive: true });
    fs.writeFileSync(path.join(web, 'server.mjs'), server('v1'));
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    // Keep only the newest image (and any in use); the schedule is off, so expiry happens on push.
    const lifecyclePolicy = { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] };
    fs.writeFileSync(
      path.join(repo, 'slipway.config.ts'),
      `import { defineApp } from 'slipway';
export default defineApp({
  name: 'boxes',
  services: {
    web: {
      path: 'services/web', start: 'node server.mjs', runtime: 'container', image: { lifecyclePolicy: ${JSON.stringify(lifecyclePolicy)} },
      ingress: { pathPrefix: '/' },
      health: { interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '10s' },
    },
  },
  environments: { production: { ingressPort: 0, strategy: { type: 'canary', steps: [25, 100], interval: '10m' }, rollbackOn: ['web-5xx'] } },
  // A stub the test drives with alarm.state.changed events: its metric never has data.
  alarms: { 'web-5xx': { metric: 'test.stub.alarm', service: 'web', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
  pipeline: {
    trigger: { branches: ['main'] },
    stages: [
      { name: 'Image', actions: [{ type: 'image' }] },
      { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
    ],
  },
});
`,
    );
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'web v1');
    cp = await startControlPlane({ dataDir, port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 200, otlpPort: null, xrayPort: null, pollIntervalMs: 200, imageLifecycleIntervalMs: 0 });
    const st = (await call<{ runtime: { router: { listeners: { kind: string; port: number }[] } } }>('GET', '/api/v1/status')).body;
    ingress = st.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    await waitFor('v1 to answer', async () => ((await answer()) === 'v1' ? true : undefined), 120_000, 200);
  }, 240_000);

  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    killDataPlane(dataDir);
    if (engine) {
      const left = await runEngine(engine, ['ps', '-a', '-q', '--filter', 'label=io.slipway.app=boxes']);
      if (left.stdout.trim() !== '') await runEngine(engine, ['rm', '-f', '-t', '0', ...left.stdout.trim().split('\n')]);
      const images = await runEngine(engine, ['images', '-q', '--filter', 'reference=localhost/slipway/boxes/*']);
      const pushed = await runEngine(engine, ['images', '-q', '--filter', 'reference=127.0.0.1:*/boxes/*']);
      await runEngine(engine, ['rmi', '-f', base, ...`${images.stdout}\n${pushed.stdout}`.split('\n').filter((l) => l.trim() !== '')]);
    }
    tmp.cleanup();
  });

  it('builds, scans and pushes the image; the canary runs that digest and an alarm rolls it back under load, with no request failed by the router', { timeout: 300_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    // GIVEN the first run (of the commit slipway started with): its image action pushed the image, scanned, with an SBOM
    const first = await runEnded(1);
    expect(first.status, JSON.stringify(first.stages.map((s) => [s.name, s.status, s.reason]))).toBe('Succeeded');
    const sha1 = first.commitSha.slice(0, 12);
    const out1 = (imageOutput(first).output.images as ImageActionOutputDto[])[0]!;
    expect(out1).toMatchObject({ service: 'web', repository: 'boxes/web', tags: [sha1], scan: { status: 'Passed', secrets: [] } });
    expect(out1.reference).toMatch(/^127\.0\.0\.1:\d+\/boxes\/web@sha256:[0-9a-f]{64}$/);
    expect(first.images).toEqual({ web: out1.reference });
    const listed = (await call<ImageRepositoryListDto>('GET', '/api/v1/images?repository=boxes/web')).body;
    expect(listed.repositories[0]!.images.map((i) => [i.digest, i.tags, i.hasSbom])).toEqual([[out1.digest, [sha1], true]]);
    const sbom = await call<{ bomFormat: string; specVersion: string; metadata: { component: { version: string } } }>('GET', `/api/v1/images/sbom?repository=boxes/web&digest=${out1.digest!}`);
    expect(sbom.status).toBe(200);
    expect(sbom.body).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: { version: out1.digest } } });
    expect((await call('GET', `/api/v1/images/sbom?repository=boxes/web&digest=sha256:${'0'.repeat(64)}`)).status).toBe(404);

    // WHEN a bad revision (every request answers 500) is committed, under steady load through the ingress
    const router = routerOf(dataDir);
    const before = await router.metrics();
    const load = shopLoad(ingress, 4);
    fs.writeFileSync(path.join(repo, 'services', 'web', 'server.mjs'), server('v2 fails', 500));
    await git(repo, 'commit', '-qam', 'web v2: fails');
    const sha2 = (await git(repo, 'rev-parse', 'HEAD')).slice(0, 12);
    // THEN its run builds and pushes v2, and the canary starts with exactly that digest
    const canary = await waitFor('the canary of v2 to take traffic', async () => {
      const { deployments } = (await call<{ deployments: DeploymentDto[] }>('GET', '/api/v1/deployments?service=web')).body;
      const d = deployments.find((x) => x.toRevision === sha2);
      return d !== undefined && d.weights[sha2] === 25 ? d : undefined;
    }, 120_000, 100);
    const run2 = (await call<PipelineRunDto>('GET', '/api/v1/pipeline/runs/2')).body;
    expect(canary.image).toBe(run2.images.web);
    expect(canary.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const taskSet = cp.runtime!.supervisor.listTaskSets().find((ts) => ts.revision === sha2)!;
    expect(taskSet.spec.container?.image).toBe(run2.images.web);
    // AND the bad revision answers 500s through the router
    await waitFor('the canary to fail some requests', async () => (sumCounter(await router.metrics(), 'HTTPCode_Target_5XX_Count', (d) => d.revision === sha2) - sumCounter(before, 'HTTPCode_Target_5XX_Count', (d) => d.revision === sha2) >= 5 ? true : undefined), 30_000, 50);
    // WHEN its alarm goes to ALARM THEN the deployment rolls back and the run fails at its deploy stage
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/web-5xx', data: { alarm: 'web-5xx', newState: 'ALARM', reason: 'set by a test' } });
    const run2End = await runEnded(2);
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/web-5xx', data: { alarm: 'web-5xx', newState: 'OK', reason: 'set by a test' } });
    const counts = await load.stop();
    const after = await router.metrics();
    await router.close();
    expect(run2End.status).toBe('Failed');
    expect(run2End.reason).toMatch(/rolled back/);
    const rolled = (await call<DeploymentDto>('GET', `/api/v1/deployments/${canary.id}`)).body;
    expect(rolled.state).toBe('RolledBack');
    // AND v1 serves again; no request failed because of the router, every 5xx was the bad revision's
    expect(await answer()).toBe('v1');
    const routerMade = sumCounter(after, 'HTTPCode_ELB_5XX_Count') - sumCounter(before, 'HTTPCode_ELB_5XX_Count');
    const badMade = sumCounter(after, 'HTTPCode_Target_5XX_Count', (d) => d.revision === sha2) - sumCounter(before, 'HTTPCode_Target_5XX_Count', (d) => d.revision === sha2);
    process.stderr.write(`images-pipeline canary under load: ${counts.total} responses ${JSON.stringify(counts.byCode)}, ${counts.connectionErrors} connection errors, router-made 5xx ${routerMade}, 5xx of the bad revision ${badMade}\n`);
    expect(counts.errors).toEqual([]);
    expect(counts.connectionErrors).toBe(0);
    expect(counts.timeouts).toBe(0);
    expect(routerMade).toBe(0);
    expect(counts.fivexx).toBeLessThanOrEqual(badMade);
    expect(counts.total).toBeGreaterThan(100);
  });

  it('fails the run at the image action when one layer holds a key, naming the layer and the file; nothing is pushed or deployed', { timeout: 180_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    const web = path.join(repo, 'services', 'web');
    fs.writeFileSync(path.join(web, 'server.mjs'), server('v3'));
    fs.writeFileSync(path.join(web, 'aws.env'), PLANTED);
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY aws.env /app/aws.env\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'web v3 with a key');
    const sha3 = (await git(repo, 'rev-parse', 'HEAD')).slice(0, 12);
    const run = await waitFor('run 3', async () => ((await call<PipelineRunDto>('GET', '/api/v1/pipeline/runs/3')).status === 200 ? true : undefined), 30_000, 100).then(() => runEnded(3));
    // THEN the image action failed, naming the rule, the layer (2: the COPY of aws.env) and the file
    expect(run.status).toBe('Failed');
    const action = imageOutput(run);
    expect(action.status).toBe('Failed');
    expect(action.reason).toMatch(/aws-access-key-id in layer 2 \(sha256:[0-9a-f]{64}\) at app\/aws\.env:1; it was not pushed/);
    const out = (action.output.images as ImageActionOutputDto[])[0]!;
    expect(out.reference).toBeUndefined();
    expect(out.scan!.secrets.map((s) => [s.layer, s.file, s.createdBy.includes('aws.env')])).toContainEqual([2, 'app/aws.env', true]);
    // AND the registry has no image of that revision, the run no image, and no deployment started
    expect(run.images).toEqual({});
    const listed = (await call<ImageRepositoryListDto>('GET', '/api/v1/images?repository=boxes/web')).body;
    expect(listed.repositories[0]!.images.flatMap((i) => i.tags)).not.toContain(sha3);
    const { deployments } = (await call<{ deployments: DeploymentDto[] }>('GET', '/api/v1/deployments?service=web')).body;
    expect(deployments.some((d) => d.toRevision === sha3)).toBe(false);
    expect(run.stages.find((s) => s.name === 'Production')!.status).toBe('Pending');
    // AND v1 keeps serving
    expect(await answer()).toBe('v1');
    // AND the scan is an event with the count of findings
    const scanned = (await call<{ events: { data: { status: string; secrets: number; repository: string } }[] }>('GET', '/api/v1/events?type=image.scanned&limit=100')).body.events;
    expect(scanned.at(-1)!.data).toMatchObject({ repository: 'boxes/web', status: 'Failed' });
    expect(scanned.at(-1)!.data.secrets).toBeGreaterThanOrEqual(1);
  });

  it('applies the lifecycle policy on each push: images no task runs expire from the registry, what serves is untouched', { timeout: 180_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    const runs = (await call<{ runs: PipelineRunDto[] }>('GET', '/api/v1/pipeline/runs')).body.runs;
    const [run1, run2] = [runs.find((r) => r.id === 1)!, runs.find((r) => r.id === 2)!];
    const [sha1, sha2] = [run1.commitSha.slice(0, 12), run2.commitSha.slice(0, 12)];
    // WHEN a clean revision is committed (the key and its layer gone)
    const web = path.join(repo, 'services', 'web');
    fs.rmSync(path.join(web, 'aws.env'));
    fs.writeFileSync(path.join(web, 'server.mjs'), server('v4'));
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'web v4');
    // THEN its image action pushes it and applies the policy (keep the newest one)
    const action = await waitFor('the image stage of run 4', async () => {
      const r = await call<PipelineRunDto>('GET', '/api/v1/pipeline/runs/4');
      const a = r.status === 200 ? imageOutput(r.body) : undefined;
      return a !== undefined && ['Succeeded', 'Failed'].includes(a.status) ? a : undefined;
    }, 120_000, 100);
    expect(action.status, action.reason).toBe('Succeeded');
    // (its canary is rolled back by the alarm again, so the run ends and v1 keeps serving)
    const sha4 = (await git(repo, 'rev-parse', 'HEAD')).slice(0, 12);
    await waitFor('the canary of v4 to take traffic', async () => {
      const { deployments } = (await call<{ deployments: DeploymentDto[] }>('GET', '/api/v1/deployments?service=web')).body;
      return deployments.find((x) => x.toRevision === sha4)?.weights[sha4] === 25 ? true : undefined;
    }, 120_000, 100);
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/web-5xx', data: { alarm: 'web-5xx', newState: 'ALARM', reason: 'set by a test' } });
    expect((await runEnded(4)).status).toBe('Failed');
    cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/web-5xx', data: { alarm: 'web-5xx', newState: 'OK', reason: 'set by a test' } });
    const out = (action.output.images as ImageActionOutputDto[])[0]!;
    const digest1 = run1.images.web!.split('@')[1]!;
    const digest2 = run2.images.web!.split('@')[1]!;
    // v1 serves from the image `slipway up` built from the working copy, so no task runs the pushed v1:
    // run 2's push expired it, and run 4's push expired the rolled-back v2 (keep the newest one)
    const run2Detail = (await call<PipelineRunDto>('GET', '/api/v1/pipeline/runs/2')).body;
    expect((imageOutput(run2Detail).output.images as ImageActionOutputDto[])[0]!.expired).toEqual([digest1]);
    expect(out.expired).toEqual([digest2]);
    const listed = (await call<ImageRepositoryListDto>('GET', '/api/v1/images?repository=boxes/web')).body.repositories[0]!;
    expect(listed.images.map((i) => [i.digest, i.tags])).toEqual([[out.digest!, [sha4]]]);
    // AND the registry deleted their manifests
    const registry = listed.uri.split('/')[0]!;
    const head = (ref: string) => fetch(`http://${registry}/v2/boxes/web/manifests/${ref}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } }).then((r) => r.status);
    expect([await head(sha1), await head(sha2), await head(sha4)]).toEqual([404, 404, 200]);
    const expired = (await call<{ events: { data: { digest: string; rule: string } }[] }>('GET', '/api/v1/events?type=image.expired&limit=100')).body.events;
    expect(expired.map((e) => e.data.digest)).toEqual([digest1, digest2]);
    expect(expired[0]!.data.rule).toMatch(/^rule 1: /);
    // AND what serves is untouched
    expect(await answer()).toBe('v1');
  });
});
