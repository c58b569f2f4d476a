// Router benchmark: direct vs slipway's router vs nginx, in one run, on loopback.
//   npm run build && node bench/router/run.js [--duration-s 10] [--runs 3] [--connections 50]
// Prints requests/s and p50/p99 latency (medians of the runs), the router/direct and
// router/nginx ratios, and p99 added latency at ~50% of the router's saturation.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const routerMain = path.join(root, 'dist/src/router/main.js');
const routerIndex = path.join(root, 'dist/src/router/index.js');
const NGINX = '/usr/sbin/nginx';

const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const durationS = Number(values['duration-s']);
const runs = Number(values.runs);
const connections = Number(values.connections);

if (!fs.existsSync(routerMain)) {
  console.error(`missing ${path.relative(process.cwd(), routerMain)}: run \`npm run build\` first`);
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

/** One autocannon run; latencies are collected exactly (autocannon's own histogram has 1 ms resolution). */
function load(port, seconds, overallRate) {
  return new Promise((resolve, reject) => {
    const samples = [];
    const instance = autocannon(
      { url: `http://127.0.0.1:${port}/`, connections, duration: seconds, ...(overallRate ? { overallRate } : {}) },
      (err, result) => {
        if (err) return reject(err);
        samples.sort((a, b) => a - b);
        resolve({ rps: result.requests.average, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), non2xx: result.non2xx, errors: result.errors });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode === 200) samples.push(responseTimeMs);
    });
  });
}

async function measure(name, port, overallRate) {
  await load(port, 2, overallRate); // warm-up: JIT, keep-alive pools
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await load(port, durationS, overallRate));
  const r = {
    name,
    rps: median(results.map((x) => x.rps)),
    p50Ms: median(results.map((x) => x.p50Ms)),
    p99Ms: median(results.map((x) => x.p99Ms)),
    non2xx: results.reduce((s, x) => s + x.non2xx, 0),
    errors: results.reduce((s, x) => s + x.errors, 0),
  };
  console.log(`${name.padEnd(28)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(3)} ms   p99 ${r.p99Ms.toFixed(3)} ms   non-2xx ${r.non2xx}  errors ${r.errors}`);
  return r;
}

async function startNginx(backendPort) {
  if (!fs.existsSync(NGINX)) return undefined;
  const port = await freePort();
  const dir = path.join(tmp, 'nginx');
  fs.mkdirSync(dir);
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1;
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
`,
  );
  start(NGINX, ['-c', conf, '-p', dir]);
  await waitForPort(port);
  return port;
}

try {
  const backend = start(process.execPath, [path.join(here, 'backend.js')]);
  const backendPort = Number(await firstLine(backend));

  const stateDir = path.join(tmp, 'router');
  const router = start(process.execPath, [
    ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(tmp, 'prof')}`] : []),
    routerMain, '--state-dir', stateDir, '--admin-port', '0', '--token-file', path.join(tmp, 'token'), '--log-level', 'warn',
  ]);
  const ready = JSON.parse(await firstLine(router));
  const client = new RouterClient({ url: `http://127.0.0.1:${ready.adminPort}`, token: fs.readFileSync(path.join(tmp, 'token'), 'utf8').trim() });
  const applied = await client.applyTable({
    version: 1,
    listeners: [{ id: 'bench', port: 0, kind: 'service', environment: 'bench', service: 'ok' }],
    services: [{ environment: 'bench', service: 'ok', targetGroups: [{ id: 'tg', revision: '1', weightPercent: 100, targets: [{ id: 't0', port: backendPort }] }] }],
  });
  const routerPort = applied.status.listeners[0].port;
  const nginxPort = await startNginx(backendPort);

  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${runs} runs × ${durationS} s, ${connections} connections (medians)`);
  console.log('— saturation —');
  const direct = await measure('direct', backendPort);
  const viaRouter = await measure('slipway router', routerPort);
  const viaNginx = nginxPort === undefined ? undefined : await measure('nginx (1 worker)', nginxPort);
  if (viaNginx === undefined) console.log(`nginx: skipped (${NGINX} not found)`);

  const rate = Math.round(viaRouter.rps * 0.5);
  console.log(`— fixed rate ${rate} req/s (~50% of the router's saturation) —`);
  const directHalf = await measure('direct @50%', backendPort, rate);
  const routerHalf = await measure('slipway router @50%', routerPort, rate);
  const nginxHalf = nginxPort === undefined ? undefined : await measure('nginx @50%', nginxPort, rate);

  console.log('— ratios —');
  console.log(`router/direct throughput: ${(viaRouter.rps / direct.rps).toFixed(2)}`);
  if (viaNginx) console.log(`router/nginx throughput:  ${(viaRouter.rps / viaNginx.rps).toFixed(2)}`);
  console.log(`p99 added by the router @50%: ${(routerHalf.p99Ms - directHalf.p99Ms).toFixed(3)} ms (p50 added ${(routerHalf.p50Ms - directHalf.p50Ms).toFixed(3)} ms)`);
  if (nginxHalf) console.log(`p99 added by nginx @50%:      ${(nginxHalf.p99Ms - directHalf.p99Ms).toFixed(3)} ms (p50 added ${(nginxHalf.p50Ms - directHalf.p50Ms).toFixed(3)} ms)`);
  const m = await client.metrics();
  const tg = m.targetGroups.find((g) => g.dimensions.targetGroup === 'tg');
  console.log(`router counted ${tg.RequestCount} requests, ${tg.HTTPCode_ELB_5XX_Count} router 5xx`);
  await client.close();
} finally {
  for (const c of children) c.kill('SIGTERM');
  if (values['cpu-prof']) console.log(`cpu profile in ${path.join(tmp, 'prof')}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
