// Image benchmark (`npm run bench -- images`): what running a service as containers costs.
//   npm run build && node bench/images/run.js [--runs 5]
// 1. Image build time: a Node service image (the host's node binary and libraries, plus the app, in
//    an image built FROM scratch, so no registry or mirror is needed), built cold (no cache: the
//    app image and its base removed first) and with the cache after a one-line change of the app.
// 2. Start-to-healthy: a task set of one task started by a real supervisor, from applyTaskSet to the
//    task's first passing health check, as a container of that image and — the baseline, in the
//    same run, interleaved — as a process running the same server file. Medians and spread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist/src');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!fs.existsSync(path.join(dist, 'images/index.js'))) {
  console.error('missing dist/: run `npm run build` first');
  process.exit(1);
}
const { detectEngine, buildImage, runEngine } = await import(path.join(dist, 'images/index.js'));
const { createSupervisor, runtimeMigrations } = await import(path.join(dist, 'runtime/index.js'));
const { EventLog, eventMigrations, openDatabase } = await import(path.join(dist, 'core/index.js'));

let engine;
try {
  engine = await detectEngine();
} catch (err) {
  console.log(`SKIPPED bench/images: no usable container engine (${err.message.split('\n')[0]})`);
  process.exit(0);
}
console.log(`engine: ${engine.description}`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-images-'));
const base = `localhost/slipway-bench/node-base:${process.pid}`;
const app = `localhost/slipway-bench/app:${process.pid}`;
const SERVER = `import http from 'node:http';
const s = http.createServer((q, r) => r.end(q.url === '/healthz' ? 'ok' : 'hello ' + process.env.SLIPWAY_TASK_ID));
s.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;

/** The base context: the host's node and the libraries ldd names. */
function writeBaseContext(dir) {
  const rootfs = path.join(dir, 'root');
  const copy = (from, to) => {
    fs.mkdirSync(path.dirname(path.join(rootfs, to)), { recursive: true });
    fs.copyFileSync(fs.realpathSync(from), path.join(rootfs, to));
    fs.chmodSync(path.join(rootfs, to), 0o755);
  };
  const node = fs.realpathSync(process.execPath);
  copy(node, 'usr/bin/node');
  for (const m of execFileSync('ldd', [node], { encoding: 'utf8' }).matchAll(/(\S+) => (\/\S+)|^\s*(\/\S+) \(/gm)) {
    const lib = m[2] ?? m[3];
    if (lib) copy(lib, lib.slice(1));
  }
  fs.mkdirSync(path.join(rootfs, 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY root/ /\n');
}

function writeAppContext(dir, version) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'server.mjs'), `${SERVER}// version ${version}\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', type: 'module' }));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY package.json /app/package.json\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

const baseDir = path.join(work, 'base');
fs.mkdirSync(baseDir);
writeBaseContext(baseDir);
const appDir = path.join(work, 'app');

// 1. Build times.
const cold = [];
const cached = [];
for (let i = 0; i < runs; i++) {
  await runEngine(engine, ['rmi', '-f', app, base]);
  writeAppContext(appDir, `${i}-a`);
  const t0 = performance.now();
  await buildImage(engine, { contextDir: baseDir, tags: [base] });
  await buildImage(engine, { contextDir: appDir, tags: [app] });
  cold.push(performance.now() - t0);
  writeAppContext(appDir, `${i}-b`);
  const t1 = performance.now();
  await buildImage(engine, { contextDir: appDir, tags: [app] });
  cached.push(performance.now() - t1);
}
console.log(`image build, cold (base of ${(dirSize(baseDir) / 1e6).toFixed(0)} MB + app): ${fmt(cold)}`);
console.log(`image build, cached base, app changed:           ${fmt(cached)}  (${(median(cold) / median(cached)).toFixed(1)}x faster)`);

// 2. Start-to-healthy, container vs process, interleaved.
const db = openDatabase(path.join(work, 'slipway.db'), { migrations: [...eventMigrations, ...runtimeMigrations], synchronous: 'NORMAL' });
const events = new EventLog(db);
const supervisor = createSupervisor({ db, events, dataDir: work, tickIntervalMs: 10 });
fs.writeFileSync(path.join(appDir, 'server.mjs'), SERVER);
const health = { path: '/healthz', intervalMs: 50, timeoutMs: 40, healthyThreshold: 1, unhealthyThreshold: 3, gracePeriodMs: 5000 };
const spec = (revision, container) => ({
  environment: 'bench',
  service: 'app',
  revision,
  command: 'exec node server.mjs',
  cwd: appDir,
  env: {},
  desiredCount: 1,
  portEnv: 'PORT',
  health,
  drainMs: 0,
  stopTimeoutMs: 5000,
  ...(container ? { container: { image: app, engine: { command: engine.command, globalArgs: engine.globalArgs, runArgs: engine.runArgs } } } : {}),
});
async function startToHealthy(revision, container) {
  const t0 = performance.now();
  await supervisor.applyTaskSet(spec(revision, container));
  for (;;) {
    if (supervisor.healthyTasks('bench', 'app', revision).length === 1) break;
    if (performance.now() - t0 > 60_000) throw new Error(`${revision} did not become healthy in 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  await supervisor.scaleTaskSet({ environment: 'bench', service: 'app', revision }, 0);
  for (let i = 0; i < 500 && supervisor.listTasks({ revision, states: ['Starting', 'Healthy', 'Unhealthy', 'Stopping'] }).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return ms;
}
const containerMs = [];
const processMs = [];
await startToHealthy('warm-c', true);
await startToHealthy('warm-p', false);
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so neither always runs on a machine the other just warmed.
  if (i % 2 === 0) {
    containerMs.push(await startToHealthy(`c${i}`, true));
    processMs.push(await startToHealthy(`p${i}`, false));
  } else {
    processMs.push(await startToHealthy(`p${i}`, false));
    containerMs.push(await startToHealthy(`c${i}`, true));
  }
}
console.log(`start to healthy, process task (baseline): ${fmt(processMs)}`);
console.log(`start to healthy, container task:          ${fmt(containerMs)}  (${(median(containerMs) / median(processMs)).toFixed(1)}x the process task)`);

await supervisor.close({ stopTasks: true });
db.close();
await runEngine(engine, ['rmi', '-f', app, base]);
fs.rmSync(work, { recursive: true, force: true });

function dirSize(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  return n;
}
