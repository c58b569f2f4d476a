import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const SERVER = `const http = require('node:http');
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : process.env.GREETING || 'hello'));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A revision per service: a commit that touches one service's folder deploys only that service;
 * the others are recorded as unchanged, and the pipeline says which and why.
 */
describe('per-service revisions through the pipeline (real git, real processes)', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  const call = async <T>(method: string, url: string, body?: unknown) => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return res.json<T>();
  };
  const runEnded = (id: number) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await call<{ id: number; status: string }>('GET', `/api/v1/pipeline/runs/${id}`);
      return ['Succeeded', 'Failed', 'Stopped'].includes(r.status) ? r : undefined;
    }, 60_000);
  const serving = (service: string) => cp.runtime!.environments.revisions.list({ environment: 'staging', service }).filter((r) => r.weightPercent === 100).map((r) => r.revision);

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    for (const s of ['alpha', 'beta']) {
      fs.mkdirSync(path.join(repo, 'services', s), { recursive: true });
      fs.writeFileSync(path.join(repo, 'services', s, 'server.cjs'), SERVER);
    }
    fs.mkdirSync(path.join(repo, 'lib'));
    fs.writeFileSync(path.join(repo, 'lib', 'shared.txt'), 'v1\n');
    const svc = (name: string, extra = '') => `${name}: { path: 'services/${name}', start: 'node server.cjs', health: { path: '/healthz', interval: '500ms', timeout: '400ms', healthyThreshold: 1, gracePeriod: '1s' }${extra} }`;
    fs.writeFileSync(
      path.join(repo, 'slipway.config.ts'),
      `import { defineApp } from 'slipway';
export default defineApp({
  name: 'two',
  services: { ${svc('alpha', ", ingress: { pathPrefix: '/' }")}, ${svc('beta', ", watch: ['lib']")} },
  environments: { staging: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
  pipeline: { trigger: { branches: ['main'] }, stages: [{ name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }] },
});
`,
    );
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'two services');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, pollIntervalMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('the first run of the commit slipway started is green: every service unchanged', async () => {
    const first = await git(repo, 'rev-parse', '--short=12', 'HEAD');
    expect(serving('alpha')).toEqual([first]);
    expect(serving('beta')).toEqual([first]);
    const run = await runEnded(1);
    expect(run.status).toBe('Succeeded');
  });

  it('a commit under one service deploys that service only; the others are recorded as unchanged', async () => {
    const first = await git(repo, 'rev-parse', '--short=12', 'HEAD');
    fs.writeFileSync(path.join(repo, 'services', 'beta', 'server.cjs'), SERVER.replace("'hello'", "'hello from beta 2'"));
    await git(repo, 'commit', '-qam', 'beta: a new greeting');
    const second = await git(repo, 'rev-parse', '--short=12', 'HEAD');
    // GIVEN the commit WHEN its run ends THEN beta runs the new commit, alpha still its first
    const run = await runEnded(2);
    expect(run.status).toBe('Succeeded');
    expect(serving('beta')).toEqual([second]);
    expect(serving('alpha')).toEqual([first]);
    // AND the deployments say so: beta deployed, alpha unchanged
    const { deployments } = await call<{ deployments: { service: string; toRevision: string; fromRevision: string | null; state: string; message: string | null; plan: unknown[] }[] }>('GET', '/api/v1/deployments');
    const latest = (service: string) => deployments.find((d) => d.service === service)!;
    expect(latest('beta')).toMatchObject({ fromRevision: first, toRevision: second, state: 'Succeeded' });
    expect(latest('beta').plan.length).toBeGreaterThan(0);
    expect(latest('alpha')).toMatchObject({ fromRevision: first, toRevision: first, state: 'Succeeded', plan: [] });
    // AND the pipeline's log names the skipped service and why
    const logs = await call<{ lines: { text: string }[] } | { text: string }[]>('GET', '/api/v1/pipeline/runs/2/logs');
    expect(JSON.stringify(logs)).toContain(`skipped alpha: unchanged at ${first}`);
  });

  it('a change to a watched path outside the service deploys it too', async () => {
    fs.writeFileSync(path.join(repo, 'lib', 'shared.txt'), 'v2\n');
    await git(repo, 'commit', '-qam', 'lib: shared change');
    const third = await git(repo, 'rev-parse', '--short=12', 'HEAD');
    const before = serving('alpha');
    expect((await runEnded(3)).status).toBe('Succeeded');
    expect(serving('beta')).toEqual([third]);
    expect(serving('alpha')).toEqual(before);
  });
});
