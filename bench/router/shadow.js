// Shadow-comparison benchmark: what mirroring and comparing costs the primary path, in one run.
//   npm run build && node bench/router/shadow.js [--duration-s 5] [--runs 3] [--rate 1000] [--connections 10]
// One router process, one backend answering "ok" as the primary, and three routes to it:
//   plain     no mirror (the baseline);
//   shadow    every request mirrored to a second backend and the answers compared;
//   hanging   every request mirrored to a backend that never answers (maxConcurrent 32, 1 s timeout).
// Each route gets the same paced open-loop load (paced-load.js), interleaved over `runs`, so drifting
// machine load hits all three alike. Prints client-seen p50/p99 and the router's CPU per request, and
// the same-run differences against the baseline.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pacedLoad } from './paced-load.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const routerMain = path.join(root, 'dist/src/router/main.js');
const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '10' },
  },
});
const durationS = Number(values['duration-s']);
const runs = Number(values.runs);
const rate = Number(values.rate);
const connections = Number(values.connections);
if (!fs.existsSync(routerMain)) {
  console.error('missing dist/: run `npm run build` first');
  process.exit(1);
}
const { RouterClient } = await import(path.join(root, 'dist/src/router/index.js'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-shadow-'));
const children = [];
const start = (args) => {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return child;
};
const firstLine = (child) =>
  new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
const HANGING = "const s=require('node:http').createServer(()=>{});s.listen(0,'127.0.0.1',()=>process.stdout.write(s.address().port+'\\n'))";
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};

try {
  const primary = Number(await firstLine(start([path.join(here, 'backend.js')])));
  const twin = Number(await firstLine(start([path.join(here, 'backend.js')])));
  const dead = Number(await firstLine(start(['-e', HANGING])));
  const router = start([routerMain, '--state-dir', path.join(tmp, 'router'), '--admin-port', '0', '--token-file', path.join(tmp, 'token'), '--log-level', 'warn']);
  const ready = JSON.parse(await firstLine(router));
  const client = new RouterClient({ url: `http://127.0.0.1:${ready.adminPort}`, token: fs.readFileSync(path.join(tmp, 'token'), 'utf8').trim() });
  const route = (service, mirrorPort, mirror) => ({
    environment: 'bench',
    service,
    targetGroups: [
      { id: `${service}-blue`, revision: '1', weightPercent: 100, targets: [{ id: `${service}-p`, port: primary }] },
      ...(mirrorPort === undefined ? [] : [{ id: `${service}-green`, revision: '2', weightPercent: 0, targets: [{ id: `${service}-s`, port: mirrorPort }] }]),
    ],
    ...(mirror === undefined ? {} : { mirror: { targetGroupId: `${service}-green`, percent: 100, ...mirror } }),
  });
  const services = [route('plain'), route('shadow', twin, { compare: { id: 'bench-shadow' } }), route('hanging', dead, { compare: { id: 'bench-hanging' }, maxConcurrent: 32, timeoutMs: 1000 })];
  const applied = await client.applyTable({ version: 1, listeners: services.map((s) => ({ id: s.service, port: 0, kind: 'service', environment: 'bench', service: s.service })), services });
  const portOf = (id) => applied.status.listeners.find((l) => l.id === id).port;
  const cases = ['plain', 'shadow', 'hanging'].map((name) => ({ name, port: portOf(name), results: [] }));
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${runs} runs × ${durationS} s at ${rate} req/s over ${connections} connections, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const c of cases) await pacedLoad(c.port, 1, rate, connections); // warm-up
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const before = cpuMs(router.pid);
      const r = await pacedLoad(c.port, durationS, rate, connections);
      const cpuUs = ((cpuMs(router.pid) - before) * 1000) / r.done;
      const m = { p50: percentile(r.latenciesMs, 0.5), p99: percentile(r.latenciesMs, 0.99), cpuUs, done: r.done, errors: r.errors + r.non2xx };
      c.results.push(m);
      console.log(`${c.name.padEnd(8)} ${r.done} done, ${m.errors} errors   p50 ${m.p50.toFixed(3)} ms   p99 ${m.p99.toFixed(3).padStart(7)} ms   router CPU ${cpuUs.toFixed(1)} µs/req   load ${os.loadavg()[0].toFixed(2)}`);
    }
  }
  const shadowReport = await client.shadowReport('bench-shadow');
  const hangingReport = await client.shadowReport('bench-hanging');
  console.log(`shadow report: ${shadowReport.compared} compared, ${shadowReport.differing} differing; hanging: ${hangingReport.mirrored} mirrored, ${hangingReport.skipped.concurrency} skipped (concurrency), ${hangingReport.shadowErrors} timed out`);
  const base = cases[0].results;
  for (const c of cases.slice(1)) {
    const d = (k) => median(c.results.map((r, i) => r[k] - base[i][k]));
    console.log(`${c.name} vs plain (same-run medians): p50 ${d('p50') >= 0 ? '+' : ''}${d('p50').toFixed(3)} ms, p99 ${d('p99') >= 0 ? '+' : ''}${d('p99').toFixed(3)} ms, router CPU ${d('cpuUs') >= 0 ? '+' : ''}${d('cpuUs').toFixed(1)} µs/req`);
  }
  await client.close();
} finally {
  for (const c of children) c.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
