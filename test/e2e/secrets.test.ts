import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { SLIPWAY_BIN } from '../support/cli.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// The service answers a hash of its secret (never the secret), and prints the secret to its
// own stdout, as careless code does: the task log must hold it masked.
const SERVER = `const http = require('node:http');
const crypto = require('node:crypto');
const key = process.env.API_KEY || '';
console.log('starting with API_KEY=' + key);
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.end(crypto.createHash('sha256').update(key).digest('hex'));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * Secrets end to end: set through the CLI from stdin, declared by a service, read inside its
 * task, rotated (a deployment of its own), and the raw values found nowhere in the data
 * directory (SQLite files read as bytes, logs, the key file aside) or in any API answer.
 */
describe('secrets through the CLI into a task (real control plane, real processes)', () => {
  let cp: ControlPlane;
  let tmp: { path: string; cleanup: () => void };
  let repo: string;
  let ingress: string;
  const answers: string[] = [];
  const FIRST = `sk_live_${crypto.randomBytes(12).toString('hex')}`;
  const SECOND = `sk_live_${crypto.randomBytes(12).toString('hex')}`;
  const call = async <T>(method: string, url: string, body?: unknown) => {
    const res = await cp.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${cp.token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    answers.push(res.body);
    return res.json<T>();
  };
  const cli = async (args: string[], input?: string) => {
    const r = await exec(process.execPath, [SLIPWAY_BIN, ...args], { cwd: repo, env: { ...process.env, SLIPWAY_URL: cp.url, SLIPWAY_TOKEN: cp.token }, timeoutMs: 20_000, ...(input === undefined ? {} : { input }) });
    answers.push(r.stdout, r.stderr);
    return r;
  };
  const hashServed = async () => (await (await fetch(`${ingress}/key`)).text()).trim();

  beforeAll(async () => {
    tmp = tempDir();
    repo = path.join(tmp.path, 'repo');
    fs.mkdirSync(path.join(repo, 'services', 'vault'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'services', 'vault', 'server.cjs'), SERVER);
    fs.writeFileSync(path.join(repo, 'slipway.config.ts'), config());
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'vault, which reads API_KEY');
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 50, otlpPort: null, xrayPort: null, pollIntervalMs: 200 });
    const status = await call<{ runtime: { router: { listeners: { kind: string; environment: string; port: number }[] } } }>('GET', '/api/v1/status');
    const listener = status.runtime.router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'staging');
    ingress = `http://127.0.0.1:${listener!.port}`;
  }, 60_000);
  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    tmp?.cleanup();
  });

  it('refuses a value given as an argument and a name that is not an environment variable name, storing nothing', async () => {
    const arg = await cli(['secrets', 'set', 'API_KEY', FIRST]);
    expect(arg.code).not.toBe(0);
    expect(arg.stderr).toContain('the value is never taken as an argument');
    expect(arg.stderr).not.toContain(FIRST);
    const bad = await cli(['secrets', 'set', 'api-key'], 'whatever-value');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/api-key/);
    const list = await cli(['secrets', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('sets a secret from stdin; the next commit deploys the service that declares it, whose task reads it', async () => {
    const set = await cli(['secrets', 'set', 'API_KEY'], `${FIRST}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('API_KEY: version 1');
    // The first revision could not start without it; the next commit deploys with version 1.
    fs.appendFileSync(path.join(repo, 'services', 'vault', 'server.cjs'), '// v2\n');
    await git(repo, 'commit', '-q', '-am', 'vault v2');
    await waitFor('the task to serve the hash of the secret', async () => ((await hashServed()) === sha256(FIRST) ? true : undefined), 60_000).catch(async (e: unknown) => {
      const runs = await call<{ runs: unknown[] }>('GET', '/api/v1/pipeline/runs');
      const deployments = await call<unknown>('GET', '/api/v1/deployments');
      throw new Error(`${String(e)}; runs: ${JSON.stringify(runs)}; deployments: ${JSON.stringify(deployments)}`);
    });
    const list = await cli(['secrets', 'list', '--json']);
    const secrets = JSON.parse(list.stdout) as { name: string; version: number; usedBy: string[] }[];
    expect(secrets.map((s) => [s.name, s.version])).toEqual([['API_KEY', 1]]);
  }, 90_000);

  it('rotating the secret rolls the service through a deployment of its own, and the task reads the new value', async () => {
    const set = await cli(['secrets', 'set', 'API_KEY'], SECOND);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('API_KEY: version 2');
    expect(set.stdout).toMatch(/vault in staging: deployment \d+/);
    await waitFor('the rotated task to serve the new hash', async () => ((await hashServed()) === sha256(SECOND) ? true : undefined), 60_000);
    const rotated = cp.events.list({ type: 'secret.rotated' });
    expect(rotated).toHaveLength(1);
    expect(JSON.stringify(rotated)).toContain('API_KEY');
  }, 90_000);

  it('finds neither raw value in the data directory, the event log, the task logs or any API answer', async () => {
    // Read the places a value could leak to, through the API, as a user would.
    await call('GET', '/api/v1/status');
    await call('GET', '/api/v1/deployments');
    await call('GET', '/api/v1/secrets');
    await call('GET', '/api/v1/events?limit=1000');
    // The task's own log line was stored, masked.
    const logs = await call<unknown>('GET', '/api/v1/logs/tail?service=vault&limit=1000');
    expect(JSON.stringify(logs)).toContain('starting with API_KEY=');
    for (const value of [FIRST, SECOND]) {
      for (const a of answers) expect(a.includes(value), `an answer held the value: ${a.slice(0, 200)}`).toBe(false);
      // Every file of the data directory, SQLite databases and WAL included, as bytes.
      for (const file of filesUnder(cp.dataDir.root)) {
        const bytes = fs.readFileSync(file);
        expect(bytes.includes(Buffer.from(value)), `${path.relative(cp.dataDir.root, file)} holds the value`).toBe(false);
      }
    }
  });
});

function config(): string {
  return `import { defineApp } from 'slipway';
export default defineApp({
  name: 'vault',
  services: {
    vault: { path: 'services/vault', start: 'node server.cjs', ingress: { pathPrefix: '/' }, secrets: ['API_KEY'], health: { path: '/healthz', interval: '500ms', timeout: '400ms', healthyThreshold: 1, gracePeriod: '1s' } },
  },
  environments: { staging: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
  pipeline: { trigger: { branches: ['main'] }, stages: [{ name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }] },
});
`;
}
