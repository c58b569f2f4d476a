// Commit to live (`npm run bench -- iac-live`): how long a commit to the app model takes to be
// running — a real control plane on a real git repository, its pipeline Plan → Staging →
// Production (no approval), real processes behind the router. Three kinds of commit, interleaved
// and in rotating order so none always runs on a system the other warmed:
//   baseline  a README-only commit: the run plans no change and every deployment is unchanged,
//             so its time is the pipeline's own cost (the poll, the plan, two deploy stages);
//   scaling   `scaling.min` 1 ↔ 2 for one service: applied in place, live when that many tasks are
//             Healthy in both environments;
//   env       an env var of the ingress service: a rolling change, live when production's ingress
//             answers with the new value (a new revision at 100 %).
// Each is timed from the commit to the moment it is live (and its run Succeeded). Medians.
//   npm run build && node bench/iac/commit-to-live.js [--rounds 5] [--dist dist]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, dist: { type: 'string', default: path.join(root, 'dist') }, poll: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const pollIntervalMs = Number(values.poll);
const dist = path.resolve(values.dist);
if (!fs.existsSync(path.join(dist, 'src/server/index.js'))) {
  console.error(`missing ${path.join(dist, 'src/server/index.js')}: run \`npm run build\` first`);
  process.exit(1);
}
const { startControlPlane } = await import(path.join(dist, 'src/server/index.js'));
const { TERMINAL_DEPLOYMENT_STATES } = await import(path.join(dist, 'src/shared/index.js'));

const SERVICE = `const http = require('node:http');
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : process.env.NAME + ' ' + process.env.GREETING));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
const health = "{ path: '/healthz', interval: '300ms', timeout: '250ms', healthyThreshold: 1, gracePeriod: '1s' }";
/** The fixture's slipway.config.ts: `web` at `/` with a greeting, `api` with a scaling range. */
const config = ({ min, greeting }) => `import { defineApp } from 'slipway';
export default defineApp({
  name: 'bench',
  services: {
    web: { path: 'services/web', start: 'node server.cjs', health: ${health}, env: { NAME: 'web', GREETING: '${greeting}' }, ingress: { pathPrefix: '/' } },
    api: { path: 'services/api', start: 'node server.cjs', health: ${health}, env: { NAME: 'api', GREETING: 'hi' }, ingress: { pathPrefix: '/api' }, scaling: { min: ${min}, max: 3 } },
  },
  environments: { staging: { ingressPort: 0 }, production: { ingressPort: 0 } },
  pipeline: { trigger: { branches: ['main'] }, stages: [
    { name: 'Plan', actions: [{ type: 'plan' }] },
    { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
    { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
  ] },
});
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-live-'));
const repo = path.join(tmp, 'repo');
const git = (...args) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
for (const name of ['web', 'api']) {
  fs.mkdirSync(path.join(repo, 'services', name), { recursive: true });
  fs.writeFileSync(path.join(repo, 'services', name, 'server.cjs'), SERVICE);
}
const model = { min: 1, greeting: 'g0' };
fs.writeFileSync(path.join(repo, 'slipway.config.ts'), config(model));
fs.writeFileSync(path.join(repo, 'README.md'), 'r0\n');
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'initial');

const cp = await startControlPlane({ dataDir: path.join(tmp, 'data'), port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs, driftIntervalMs: 600_000 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const call = async (url) => {
  const res = await cp.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${cp.token}` } });
  return res.statusCode < 400 ? res.json() : undefined;
};
const runOf = async (sha) => (await call('/api/v1/pipeline/runs'))?.runs.find((r) => r.commitSha === sha);
const ended = async (sha) => {
  const r = await runOf(sha);
  if (r && ['Failed', 'Stopped', 'RolledBack'].includes(r.status)) throw new Error(`run ${r.id} of ${sha.slice(0, 12)} ${r.status}: ${JSON.stringify(await call(`/api/v1/pipeline/runs/${r.id}`))}`);
  return r?.status === 'Succeeded';
};
const healthy = (environment, service) => cp.runtime.supervisor.listTasks({ states: ['Healthy'] }).filter((t) => t.environment === environment && t.service === service).length;
const ingress = async () => (await cp.runtime.status()).router.listeners.find((l) => l.kind === 'ingress' && l.environment === 'production').port;
const answer = async () => {
  try {
    return await (await fetch(`http://127.0.0.1:${await ingress()}/`)).text();
  } catch {
    return '';
  }
};

const first = git('rev-parse', 'HEAD');
await until('the first run', () => ended(first), 120_000);
await until('web answering', async () => (await answer()) === `web ${model.greeting}`);

let n = 0;
/**
 * Commits the model (and the README), returns the ms until `live()` holds and the run Succeeded,
 * after checking the run planned `modify` changes (so each kind measures what it says).
 */
async function commit(message, live, modify) {
  n++;
  fs.writeFileSync(path.join(repo, 'slipway.config.ts'), config(model));
  const t = performance.now();
  git('commit', '-q', '-am', message);
  const sha = git('rev-parse', 'HEAD');
  await until(`${message} live`, async () => (await ended(sha)) && (await live()), 120_000);
  const elapsed = performance.now() - t;
  const run = await call(`/api/v1/pipeline/runs/${(await runOf(sha)).id}`);
  const summary = run.stages[0].actions[0].output.summary;
  if (JSON.stringify(summary) !== JSON.stringify({ add: 0, modify, remove: 0 })) throw new Error(`${message}: planned ${JSON.stringify(summary)}, expected ${modify} modified`);
  return elapsed;
}
const kinds = {
  baseline: () => {
    fs.writeFileSync(path.join(repo, 'README.md'), `r${n + 1}\n`);
    return commit('docs only', async () => true, 0);
  },
  scaling: () => {
    model.min = model.min === 1 ? 2 : 1;
    kind = model.min === 2 ? 'scale out' : 'scale in';
    return commit(`api min ${model.min}`, async () => healthy('staging', 'api') === model.min && healthy('production', 'api') === model.min, 2);
  },
  // The strategy's own time, without the pipeline: the same web task replaced by a deployment
  // through the API in staging and then production, as the two deploy stages do.
  strategy: async () => {
    n++;
    const t = performance.now();
    for (const environment of ['staging', 'production']) {
      const res = await cp.app.inject({ method: 'POST', url: '/api/v1/deployments', headers: { authorization: `Bearer ${cp.token}` }, payload: { service: 'web', environment, revision: `direct-${n}`, sourceDir: repo } });
      if (res.statusCode >= 400) throw new Error(`deploy: ${res.statusCode} ${res.body}`);
      const id = res.json().id;
      await until(`deployment ${id}`, async () => {
        const d = await call(`/api/v1/deployments/${id}`);
        if (d && d.state !== 'Succeeded' && TERMINAL_DEPLOYMENT_STATES.includes(d.state)) throw new Error(`deployment ${id} ${d.state}`);
        return d?.state === 'Succeeded';
      });
    }
    return performance.now() - t;
  },
  env: () => {
    model.greeting = `g${n + 1}`;
    const want = `web ${model.greeting}`;
    return commit(`web greets ${model.greeting}`, async () => (await answer()) === want, 2);
  },
};
let kind;
const names = Object.keys(kinds);
const rows = ['baseline', 'scale out', 'scale in', 'env', 'strategy'];
const ms = Object.fromEntries(rows.map((k) => [k, []]));
try {
  // One warm-up round, not counted.
  for (const k of names) await kinds[k]();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const k = names[(round + i) % names.length];
      kind = k;
      const elapsed = await kinds[k]();
      ms[kind].push(elapsed);
    }
  }
} finally {
  await cp.close({ stopTasks: true });
  fs.rmSync(tmp, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x) => (x / 1000).toFixed(2);
const base = median(ms.baseline);
console.log(`${rounds} rounds after a warm-up, poll every ${pollIntervalMs} ms, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('');
console.log('| commit | median s | min–max s | over baseline s |');
console.log('|---|---:|---:|---:|');
for (const k of rows) console.log(`| ${k} | ${f(median(ms[k]))} | ${f(Math.min(...ms[k]))}–${f(Math.max(...ms[k]))} | ${k === 'baseline' || k === 'strategy' ? '—' : f(median(ms[k]) - base)} |`);
const expected = base + median(ms.strategy);
console.log('');
console.log(`env commit ${f(median(ms.env))} s vs pipeline overhead + strategy time ${f(expected)} s: ${(median(ms.env) / expected).toFixed(2)}×`);
