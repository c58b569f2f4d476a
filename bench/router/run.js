// Router benchmark: direct vs slipway's router vs nginx (and HAProxy, and an earlier build of the
// router), in one run, on loopback.
//   npm run build && node bench/router/run.js [--duration-s 10] [--runs 3] [--connections 50] [--cpu-prof]
//     [--baseline-dist DIR]   also run the router of an earlier build (see save-baseline.js);
//                             default $BENCH_BASELINE_DIST, so `npm run bench` can include it
//     [--no-haproxy]          skip HAProxy even when /usr/sbin/haproxy is installed
// Saturation (autocannon) and a fixed rate of ~50% of the router's saturation (paced-load.js),
// each case run `runs` times interleaved. Prints requests/s, p50/p99 latency, CPU time of the
// proxy process per request and the 1-minute load average per run, then same-run ratios
// (router/nginx, router/direct, router/baseline router; medians over the runs) and the p99 each
// proxy adds at 50%.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { pacedLoad } from './paced-load.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const routerMain = path.join(root, 'dist/src/router/main.js');
const routerIndex = path.join(root, 'dist/src/router/index.js');
const NGINX = '/usr/sbin/nginx';
const HAPROXY = '/usr/sbin/haproxy';

const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'cpu-prof': { type: 'boolean', default: false },
    'baseline-dist': { type: 'string', default: process.env.BENCH_BASELINE_DIST },
    'no-haproxy': { type: 'boolean', default: false },
  },
});
const durationS = Number(values['duration-s']);
const runs = Number(values.runs);
const connections = Number(values.connections);

if (!fs.existsSync(routerMain)) {
  console.error(`missing ${path.relative(process.cwd(), routerMain)}: run \`npm run build\` first`);
  process.exit(1);
}
const baselineDist = values['baseline-dist'] === undefined ? undefined : path.resolve(values['baseline-dist']);
const baselineMain = baselineDist === undefined ? undefined : path.join(baselineDist, 'src/router/main.js');
if (baselineMain !== undefined && !fs.existsSync(baselineMain)) {
  console.error(`--baseline-dist: ${baselineMain} not found (save one with node bench/save-baseline.js DIR)`);
  process.exit(1);
}
const { RouterClient } = await import(routerIndex);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-router-'));
const children = [];

function start(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.push(child);
  return child;
}

function firstLine(child) {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited ${code}`)));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => c.end(() => resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`port ${port} never opened`);
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadavg = () => os.loadavg()[0].toFixed(2);

/** CPU time (user + system) a process has used so far, in ms; undefined without /proc. */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/** Saturation: one autocannon run; latencies collected exactly (autocannon's histogram has 1 ms resolution). */
function saturate(port, seconds) {
  return new Promise((resolve, reject) => {
    const samples = [];
    const instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: seconds }, (err, result) => {
      if (err) return reject(err);
      samples.sort((a, b) => a - b);
      resolve({ rps: result.requests.average, total: result.requests.total, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), non2xx: result.non2xx, errors: result.errors });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode === 200) samples.push(responseTimeMs);
    });
  });
}

/** Fixed rate: the paced generator (see paced-load.js for why not autocannon's overallRate). */
async function paced(port, seconds, rate) {
  const r = await pacedLoad(port, seconds, rate, connections);
  return { rps: r.done / seconds, total: r.done, p50Ms: percentile(r.latenciesMs, 0.5), p99Ms: percentile(r.latenciesMs, 0.99), non2xx: r.non2xx, errors: r.errors };
}

/** One measurement of `c` (a case: name, port, pid of the proxy process or undefined), with the proxy's CPU per request. */
async function measureOnce(c, run) {
  const before = c.pid === undefined ? undefined : cpuMs(c.pid);
  const la = loadavg();
  const r = await run(c.port);
  const after = c.pid === undefined ? undefined : cpuMs(c.pid);
  const cpuUsPerReq = before === undefined || after === undefined ? undefined : ((after - before) * 1000) / r.total;
  const cpu = cpuUsPerReq === undefined ? '' : `   proxy CPU ${cpuUsPerReq.toFixed(1)} µs/req`;
  console.log(
    `${c.name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50Ms.toFixed(3)} ms   p99 ${r.p99Ms.toFixed(3).padStart(7)} ms   non-2xx ${r.non2xx}  errors ${r.errors}${cpu}   load ${la}`,
  );
  return { ...r, cpuUsPerReq, load: Number(la) };
}

/** Runs every case `runs` times, interleaved (direct, router, nginx, direct, …) so drifting machine load hits all alike. */
async function measureAll(cases, run, warmSeconds) {
  for (const c of cases) await run(c.port, warmSeconds); // warm-up: JIT, keep-alive pools
  const results = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < cases.length; k++) results[k].push(await measureOnce(cases[k], (port) => run(port, durationS)));
  }
  return results;
}
const med = (rs, key) => median(rs.map((r) => r[key]).filter((x) => x !== undefined));

/** The pid of nginx's (single) worker: the master's child, from /proc. */
function nginxWorkerPid(masterPid) {
  try {
    const children = fs.readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(/\s+/);
    return children[0] === '' ? undefined : Number(children[0]);
  } catch {
    return undefined;
  }
}

/** A free port and a directory of its own for a proxy, with its configuration file written by `render(dir, port)`. */
async function proxyConfig(name, file, render) {
  const port = await freePort();
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const conf = path.join(dir, file);
  fs.writeFileSync(conf, render(dir, port));
  return { port, conf };
}

async function startNginx(backendPort) {
  if (!fs.existsSync(NGINX)) return undefined;
  const { port, conf } = await proxyConfig('nginx', 'nginx.conf', (dir, port) => `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`);
  const master = start(NGINX, ['-c', conf, '-p', path.dirname(conf)]);
  await waitForPort(port);
  return { port, master };
}

/** HAProxy with one thread, keep-alive to the same backend (`http-reuse always`), as nginx is set up. */
async function startHaproxy(backendPort) {
  if (values['no-haproxy'] || !fs.existsSync(HAPROXY)) return undefined;
  const { port, conf } = await proxyConfig('haproxy', 'haproxy.cfg', (dir, port) => `global
  nbthread 1
  maxconn 4096
  stats socket ${dir}/admin.sock mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 65s
  timeout server 30s
  timeout http-keep-alive 65s
  option http-keep-alive
frontend bench
  bind 127.0.0.1:${port}
  option forwardfor
  default_backend backend
backend backend
  http-reuse always
  server t0 127.0.0.1:${backendPort} maxconn 128
`);
  const child = start(HAPROXY, ['-db', '-f', conf]);
  await waitForPort(port);
  return { port, pid: child.pid };
}

/** A router process from `main` (this build's or a baseline's) with one service listener to the backend. */
async function startRouter(main, name, backendPort) {
  const stateDir = path.join(tmp, name);
  const router = start(process.execPath, [
    ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(tmp, `prof-${name}`)}`] : []),
    main, '--state-dir', stateDir, '--admin-port', '0', '--token-file', path.join(tmp, `token-${name}`), '--log-level', 'warn',
  ]);
  const ready = JSON.parse(await firstLine(router));
  const client = new RouterClient({ url: `http://127.0.0.1:${ready.adminPort}`, token: fs.readFileSync(path.join(tmp, `token-${name}`), 'utf8').trim() });
  const applied = await client.applyTable({
    version: 1,
    listeners: [{ id: 'bench', port: 0, kind: 'service', environment: 'bench', service: 'ok' }],
    services: [{ environment: 'bench', service: 'ok', targetGroups: [{ id: 'tg', revision: '1', weightPercent: 100, targets: [{ id: 't0', port: backendPort }] }] }],
  });
  return { port: applied.status.listeners[0].port, pid: router.pid, client };
}

try {
  const backend = start(process.execPath, [path.join(here, 'backend.js')]);
  const backendPort = Number(await firstLine(backend));

  const router = await startRouter(routerMain, 'router', backendPort);
  const client = router.client;
  const baseline = baselineMain === undefined ? undefined : await startRouter(baselineMain, 'baseline', backendPort);
  const haproxy = await startHaproxy(backendPort);
  const nginx = await startNginx(backendPort);
  const nginxPort = nginx?.port;

  // The master forks its worker after opening the port: wait for it rather than reading too early.
  let nginxWorker;
  for (let i = 0; nginxPort !== undefined && nginxWorker === undefined && i < 100; i++) {
    nginxWorker = nginxWorkerPid(nginx.master.pid);
    if (nginxWorker === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  // direct, router and nginx keep their positions; the optional cases follow.
  const cases = [
    { name: 'direct', port: backendPort, pid: undefined },
    { name: 'slipway router', port: router.port, pid: router.pid },
    ...(nginxPort === undefined ? [] : [{ name: 'nginx (1 worker)', port: nginxPort, pid: nginxWorker }]),
    ...(baseline === undefined ? [] : [{ name: 'router (baseline)', port: baseline.port, pid: baseline.pid }]),
    ...(haproxy === undefined ? [] : [{ name: 'haproxy (1 thread)', port: haproxy.port, pid: haproxy.pid }]),
  ];
  const indexOf = (name) => cases.findIndex((c) => c.name === name);
  if (nginxPort === undefined) console.log(`nginx: skipped (${NGINX} not found)`);
  if (haproxy === undefined && !values['no-haproxy']) console.log(`haproxy: skipped (${HAPROXY} not found)`);
  if (baseline !== undefined) console.log(`baseline router: ${baselineMain}`);

  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${runs} runs × ${durationS} s, ${connections} connections, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('— saturation (autocannon) —');
  const sat = await measureAll(cases, saturate, 2);
  const [direct, viaRouter] = sat;
  const viaNginx = nginxPort === undefined ? undefined : sat[indexOf('nginx (1 worker)')];
  const perRun = (a, b) => median(a.map((x, i) => x.rps / b[i].rps));
  const routerDirect = perRun(viaRouter, direct);
  const routerNginx = viaNginx === undefined ? undefined : perRun(viaRouter, viaNginx);

  const rate = Math.round(med(viaRouter, 'rps') * 0.5);
  console.log(`— fixed rate ${rate} req/s (50% of the router's median saturation), paced —`);
  const half = await measureAll(cases, (port, seconds) => paced(port, seconds, rate), 2);
  const [directHalf, routerHalf] = half;
  const nginxHalf = nginxPort === undefined ? undefined : half[indexOf('nginx (1 worker)')];
  const added = (a, key) => median(a.map((x, i) => x[key] - directHalf[i][key]));

  console.log('— medians —');
  for (let k = 0; k < cases.length; k++) {
    const cpu = med(sat[k], 'cpuUsPerReq');
    console.log(
      `${cases[k].name.padEnd(24)} saturation ${med(sat[k], 'rps').toFixed(0).padStart(7)} req/s p50 ${med(sat[k], 'p50Ms').toFixed(3)} p99 ${med(sat[k], 'p99Ms').toFixed(3)} ms` +
        ` | @50% p50 ${med(half[k], 'p50Ms').toFixed(3)} p99 ${med(half[k], 'p99Ms').toFixed(3)} ms${cpu === undefined ? '' : ` | CPU ${cpu.toFixed(1)} µs/req`}`,
    );
  }
  console.log(`added @50% by the router: p50 ${added(routerHalf, 'p50Ms').toFixed(3)} ms, p99 ${added(routerHalf, 'p99Ms').toFixed(3)} ms`);
  if (nginxHalf) console.log(`added @50% by nginx:      p50 ${added(nginxHalf, 'p50Ms').toFixed(3)} ms, p99 ${added(nginxHalf, 'p99Ms').toFixed(3)} ms`);
  const m = await client.metrics();
  const tg = m.targetGroups.find((g) => g.dimensions.targetGroup === 'tg');
  console.log(`router counted ${tg.RequestCount} requests, ${tg.HTTPCode_ELB_5XX_Count} router 5xx`);
  const fmt = (x, digits) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
  if (viaNginx) console.log(`proxy CPU per request router/nginx: ${fmt(med(viaRouter, 'cpuUsPerReq') / med(viaNginx, 'cpuUsPerReq'), 2)}`);
  // Same-run ratios against the other proxies: per run (they ran next to each other), then the median.
  const cpuPerRun = (a, b) => median(a.map((x, i) => x.cpuUsPerReq / b[i].cpuUsPerReq));
  for (const name of ['router (baseline)', 'haproxy (1 thread)']) {
    const k = indexOf(name);
    if (k < 0) continue;
    const other = sat[k];
    const vsNginx = viaNginx === undefined ? '' : `; ${name}/nginx throughput ${fmt(perRun(other, viaNginx), 2)}, CPU ${fmt(cpuPerRun(other, viaNginx), 2)}`;
    console.log(`router/${name}: throughput ${fmt(perRun(viaRouter, other), 2)}, CPU per request ${fmt(cpuPerRun(viaRouter, other), 2)}${vsNginx}`);
  }
  const loads = [...sat, ...half].flat().map((r) => r.load);
  console.log(
    `router/nginx throughput ratio ${fmt(routerNginx, 2)}, router/direct ${fmt(routerDirect, 2)}, added p99 @50%: router ${fmt(added(routerHalf, 'p99Ms'), 3)} ms, nginx ${nginxHalf ? fmt(added(nginxHalf, 'p99Ms'), 3) : 'n/a'} ms` +
      ` (load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)})`,
  );
  await client.close();
  await baseline?.client.close();
} finally {
  for (const c of children) c.kill('SIGTERM');
  if (values['cpu-prof']) console.log(`cpu profiles in ${tmp}/prof-*`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
