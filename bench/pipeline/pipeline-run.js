// Pipeline engine benchmark: a run of N sequential stages with one trivial invoke action each
// vs the same N commands in a plain shell script, and commit-to-first-command latency through a
// signed GitHub webhook. Imported by run.js; needs dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dist = path.resolve(import.meta.dirname, '../../dist/src');
const core = await import(path.join(dist, 'core/index.js'));
const pipelines = await import(path.join(dist, 'pipelines/index.js'));
const { buildServer } = await import(path.join(dist, 'server/index.js'));
const { resolveApp } = await import(path.join(dist, 'shared/index.js'));

const git = (cwd, ...args) => {
  const r = spawnSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the benchmark; returns its figures. */
export async function benchPipelineRun({ runs = 10, actions = 20, webhookRuns = 10 } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-pipeline-'));
  const repo = path.join(root, 'repo');
  fs.mkdirSync(repo);
  const commands = Array.from({ length: actions }, (_, i) => `echo step-${i} > /dev/null`);
  fs.writeFileSync(path.join(repo, 'plain.sh'), `${commands.join('\n')}\n`);
  git(repo, 'init', '--quiet', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', 'bench');
  const stamp = path.join(root, 'first-command-ms');
  const app = resolveApp({
    name: 'bench',
    services: { web: { path: '.', start: 'true' } },
    environments: { production: { ingressPort: 0 } },
    pipeline: {
      executionMode: 'PARALLEL',
      stages: commands.map((command, i) => ({ name: `S${i}`, actions: [{ type: 'invoke', name: `a${i}`, command: i === 0 ? `date +%s%3N > ${stamp}; ${command}` : command }] })),
    },
  });
  const db = core.openDatabase(path.join(root, 'slipway.db'), { migrations: [...core.eventMigrations, ...pipelines.pipelineMigrations] });
  const events = new core.EventLog(db);
  const secret = 'bench-webhook-secret';
  const p = pipelines.createPipelines({
    app, repoDir: repo, db, events, dataDir: path.join(root, 'data'), secrets: pipelines.staticSecretStore({}),
    deployer: { deploy: async () => ({ status: 'Succeeded', deploymentIds: [] }) }, pollIntervalMs: 0, webhookSecret: secret, scanAudit: false,
  });
  await p.start();
  const server = await buildServer({ events, token: 'bench-token', routes: [p.routes] });
  const ended = (runId) => new Promise((resolve) => {
    const check = (e) => e.subject === `pipeline-run/${runId}` && /^pipeline\.run\.(succeeded|failed)$/.test(e.type);
    const off = events.subscribe((e) => {
      if (!check(e)) return;
      off();
      resolve(e);
    });
    const past = events.list({ type: 'pipeline.run', limit: 10_000 }).find(check);
    if (past) {
      off();
      resolve(past);
    }
  });

  const pipelineMs = [];
  const shellMs = [];
  for (let i = 0; i < runs + 1; i++) {
    let t = performance.now();
    const run = await p.run();
    const end = await ended(run.id);
    if (end.type !== 'pipeline.run.succeeded') throw new Error(`run ${run.id} ${end.type}`);
    const pm = performance.now() - t;
    t = performance.now();
    // The baseline spawns one shell per command, as each action does.
    for (const c of commands) if (spawnSync('/bin/sh', ['-c', c], { cwd: repo }).status !== 0) throw new Error('plain command failed');
    const sm = performance.now() - t;
    if (i > 0) {
      pipelineMs.push(pm);
      shellMs.push(sm);
    }
  }
  const oneShellMs = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync('/bin/sh', [path.join(repo, 'plain.sh')], { cwd: repo });
    oneShellMs.push(performance.now() - t);
  }

  await server.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${server.server.address().port}/api/v1/webhooks/github`;
  const latencyMs = [];
  for (let i = 0; i < webhookRuns + 1; i++) {
    fs.writeFileSync(path.join(repo, 'change.txt'), String(i));
    git(repo, 'add', '-A');
    git(repo, 'commit', '--quiet', '-m', `change ${i}`);
    const sha = git(repo, 'rev-parse', 'HEAD');
    fs.rmSync(stamp, { force: true });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, deleted: false });
    const t0 = Date.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `bench-${i}`, 'x-hub-signature-256': pipelines.signGithubPayload(secret, body) },
      body,
    });
    const { runId } = await res.json();
    await ended(runId);
    const first = Number(fs.readFileSync(stamp, 'utf8').trim());
    if (i > 0) latencyMs.push(first - t0);
  }
  await server.close();
  await p.close();
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
  const pm = median(pipelineMs);
  const sm = median(shellMs);
  return {
    actions,
    runs,
    pipelineRunMedianMs: Number(pm.toFixed(1)),
    plainShellPerCommandMedianMs: Number(sm.toFixed(1)),
    plainShellOneScriptMedianMs: Number(median(oneShellMs).toFixed(1)),
    ratio: Number((pm / sm).toFixed(2)),
    overheadPerActionMs: Number(((pm - sm) / actions).toFixed(2)),
    webhookToFirstCommandMedianMs: median(latencyMs),
    webhookToFirstCommandMaxMs: Math.max(...latencyMs),
  };
}
