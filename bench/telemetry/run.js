// Telemetry benchmark: OTLP/HTTP ingest over loopback, and query latency over 1M rows,
// with the log query compared with grep + sort | uniq -c over the same records as text.
//   npm run build && node bench/telemetry/run.js [--ingest-s 5] [--runs 5] [--rows 1000000]
//     [--ingest-runs 3] [--baseline-dist DIR] [--ingest-only | --skip-ingest]
// Prints spans/s and records/s (protobuf batches of 512), and the median latency of each query.
// With --baseline-dist (another build's dist/, e.g. of the previous commit), ingest runs against
// both builds in the same process, interleaved round by round (the order alternating), and the
// same rows are loaded into a second store by that code too, each query running on both stores
// interleaved (the order rotates every round): each figure is printed with its baseline, the
// spread of the rounds and the ratio (the log query also with the shell baseline).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist/src/telemetry/index.js');
const { values } = parseArgs({
  options: {
    'ingest-s': { type: 'string', default: '5' },
    'ingest-runs': { type: 'string', default: '3' },
    runs: { type: 'string', default: '5' },
    rows: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '4' },
    'baseline-dist': { type: 'string' },
    'ingest-only': { type: 'boolean', default: false },
    'skip-ingest': { type: 'boolean', default: false },
  },
});
const ingestRuns = Number(values['ingest-runs']);
const baselineDist = values['baseline-dist'] === undefined ? undefined : path.resolve(values['baseline-dist']);
if (baselineDist !== undefined && !fs.existsSync(path.join(baselineDist, 'src/telemetry/index.js'))) {
  console.error(`--baseline-dist ${baselineDist}: no src/telemetry/index.js there (give the dist/ directory of another build)`);
  process.exit(1);
}
const ingestS = Number(values['ingest-s']);
const runs = Number(values.runs);
const rows = Number(values.rows);
const connections = Number(values.connections);
if (!fs.existsSync(dist)) {
  console.error('missing dist/src/telemetry/index.js: run `npm run build` first');
  process.exit(1);
}
const { createTelemetry } = await import(dist);
const { otlpServiceTypes } = await import(path.join(root, 'dist/src/telemetry/otlp/index.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const hex = (n, width) => n.toString(16).padStart(width, '0');
const SERVICES = ['gateway', 'orders', 'catalog', 'payments'];
const kv = (key, v) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } });

// One protobuf export request: 64 traces of 8 spans (gateway → orders → catalog → sqlite, payments).
function spansRequest(batch, nowMs) {
  const byService = new Map(SERVICES.map((s) => [s, []]));
  for (let t = 0; t < 64; t++) {
    const traceId = Buffer.from(hex(batch * 64 + t + 1, 32), 'hex');
    const start = nowMs - 60_000 + t;
    const ns = (ms) => String(BigInt(Math.round(ms * 1000)) * 1000n);
    const id = (i) => Buffer.from(hex((batch * 64 + t) * 8 + i + 1, 16), 'hex');
    const s = (svc, i, parent, name, kind, from, to, attrs) =>
      byService.get(svc).push({ traceId, spanId: id(i), ...(parent === undefined ? {} : { parentSpanId: id(parent) }), name, kind, startTimeUnixNano: ns(start + from), endTimeUnixNano: ns(start + to), attributes: attrs, status: {} });
    s('gateway', 0, undefined, 'GET /checkout', 2, 0, 50, [kv('http.response.status_code', t % 50 === 0 ? 500 : 200), kv('http.route', '/checkout')]);
    s('gateway', 1, 0, 'POST', 3, 1, 49, [kv('server.address', 'orders')]);
    s('orders', 2, 1, 'POST /orders', 2, 2, 48, [kv('http.response.status_code', 200)]);
    s('orders', 3, 2, 'GET', 3, 3, 20, [kv('server.address', 'catalog')]);
    s('catalog', 4, 3, 'GET /items', 2, 4, 19, [kv('http.response.status_code', 200)]);
    s('catalog', 5, 4, 'SELECT', 3, 5, 18, [kv('db.system', 'sqlite'), kv('db.statement', `SELECT * FROM items WHERE id = ${t}`)]);
    s('orders', 6, 2, 'POST', 3, 21, 47, [kv('server.address', 'payments')]);
    s('payments', 7, 6, 'POST /pay', 2, 22, 46, [kv('http.response.status_code', 200)]);
  }
  const { request } = otlpServiceTypes('traces');
  const body = { resourceSpans: SERVICES.map((svc) => ({ resource: { attributes: [kv('service.name', svc)] }, scopeSpans: [{ scope: { name: 'bench' }, spans: byService.get(svc) }] })) };
  return Buffer.from(request.encode(request.fromObject(body)).finish());
}

function logsRequest(batch, nowMs) {
  const ns = (ms) => String(BigInt(Math.round(ms)) * 1_000_000n);
  const records = Array.from({ length: 512 }, (_, i) => ({
    timeUnixNano: ns(nowMs - 60_000 + i), severityText: i % 10 === 0 ? 'ERROR' : 'INFO', severityNumber: i % 10 === 0 ? 17 : 9,
    body: { stringValue: `${i % 10 === 0 ? 'ERROR' : 'INFO'} request ${batch}-${i} took ${i % 97}ms` }, attributes: [kv('http.route', '/checkout')],
  }));
  const { request } = otlpServiceTypes('logs');
  const body = { resourceLogs: [{ resource: { attributes: [kv('service.name', 'gateway'), kv('deployment.environment.name', 'production')] }, scopeLogs: [{ logRecords: records }] }] };
  return Buffer.from(request.encode(request.fromObject(body)).finish());
}

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function postOnce(port, pathName, body, key) {
  return new Promise((resolve, reject) => {
    // The app's ingest key, as a real sender would carry it: the benchmark includes its check.
    const headers = { 'content-type': 'application/x-protobuf', 'content-length': body.length, 'x-slipway-ingest-key': key };
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// As an OTLP exporter does: a 429/503 is retried after its Retry-After (here at most 100 ms,
// so the run measures the receiver, not the sender's patience); anything else but 200 fails.
async function post(port, pathName, body, key) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { status, retryAfter } = await postOnce(port, pathName, body, key);
    if (status === 200) return;
    if (status !== 429 && status !== 503) throw new Error(`status ${status}`);
    await new Promise((r) => setTimeout(r, Math.min(100, Number(retryAfter ?? 0) * 1000)));
  }
  throw new Error('still throttled after 1000 attempts');
}

// CPU time of this process's main thread, ms (Linux: /proc/self/task/<pid>/stat, utime + stime).
// On a shared machine wall-clock rates swing with the neighbours' load; the CPU the main thread
// spends per item does not, and that thread (HTTP, auth, the SQLite writer) is ingest's ceiling.
const tickMs = 1000 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);
function mainThreadCpuMs() {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tickMs;
  } catch {
    return NaN;
  }
}

async function ingest(telemetry, port, pathName, bodies, itemsPerBody) {
  let sent = 0;
  const deadline = performance.now() + ingestS * 1000;
  const t0 = performance.now();
  const main0 = mainThreadCpuMs();
  const cpu0 = process.cpuUsage();
  const key = telemetry.ingestKeys().appKey;
  await Promise.all(Array.from({ length: connections }, async (_, c) => {
    for (let i = c; performance.now() < deadline; i += connections) {
      await post(port, pathName, bodies[i % bodies.length], key);
      sent += itemsPerBody;
    }
  }));
  await telemetry.forceFlush();
  const cpu = process.cpuUsage(cpu0);
  const perK = (ms) => (ms / sent) * 1000;
  return { perS: sent / ((performance.now() - t0) / 1000), mainMsPerK: perK(mainThreadCpuMs() - main0), allMsPerK: perK((cpu.user + cpu.system) / 1000) };
}

// Loads `rows` log records, about as many spans and `rows` gauge points into a store; writes the
// log records as text to `textFile` too (the shell baseline), when given; the hour ends at
// `endMs`, the same for every store, so each holds the same rows. Returns seconds.
async function load(telemetry, decodeOtlpTraces, textFile, endMs) {
  const startMs = endMs - 3_600_000;
  const out = textFile === undefined ? undefined : fs.openSync(textFile, 'w');
  const load0 = performance.now();
  for (let i = 0; i < rows; i += 50_000) {
    const entries = [];
    const lines = [];
    for (let j = i; j < Math.min(rows, i + 50_000); j++) {
      const timeMs = startMs + Math.floor((j / rows) * 3_600_000);
      const level = j % 10 === 0 ? 'ERROR' : 'INFO';
      const message = `${level} GET /items/${j % 1000} status=${j % 10 === 0 ? 500 : 200} took ${j % 97}ms`;
      entries.push({ timeMs, group: `/slipway/production/${SERVICES[j % 4]}`, stream: `task-${j % 8}`, message, severity: level });
      lines.push(`${new Date(timeMs).toISOString()} ${message}`);
    }
    telemetry.ingestLogEntries(entries);
    if (out !== undefined) fs.writeSync(out, `${lines.join('\n')}\n`);
  }
  if (out !== undefined) fs.closeSync(out);
  for (let b = 0; b * 512 < rows; b++) {
    const { spans } = decodeOtlpTraces(spansRequest(100_000 + b, startMs + 60_000 + (b * 512 / rows) * 3_500_000), 'application/x-protobuf');
    telemetry.ingestSpans(spans);
  }
  const points = [];
  for (let j = 0; j < rows; j++) {
    points.push({ name: 'http.server.duration', unit: 'ms', description: '', kind: 'Gauge', service: SERVICES[j % 4], resource: {}, attributes: { route: `/r${j % 5}` }, timeMs: startMs + Math.floor((j / rows) * 3_600_000), value: (j * 7919) % 1000 });
    if (points.length === 50_000) telemetry.ingestMetricPoints(points.splice(0));
  }
  telemetry.ingestMetricPoints(points);
  await telemetry.forceFlush();
  return (performance.now() - load0) / 1000;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-telemetry-'));
const results = {};
try {
  // --- ingest over real HTTP, this build and (with --baseline-dist) another, interleaved ---
  if (!values['skip-ingest']) {
    // The baseline: another build (--baseline-dist), else this build decoding on the main thread.
    const builds = [{ name: 'this build', createTelemetry, options: {} }];
    if (baselineDist !== undefined) {
      const baseline = await import(path.join(baselineDist, 'src/telemetry/index.js'));
      builds.push({ name: `the build in ${baselineDist}`, createTelemetry: baseline.createTelemetry, options: {} });
    } else builds.push({ name: 'this build with decodeWorkers: 0 (decode on the main thread)', createTelemetry, options: { decodeWorkers: 0 } });
    const nowMs = Date.now();
    const spanBodies = Array.from({ length: 200 }, (_, b) => spansRequest(b, nowMs));
    const logBodies = Array.from({ length: 50 }, (_, b) => logsRequest(b, nowMs));
    for (const [i, b] of builds.entries()) {
      b.telemetry = b.createTelemetry({ dataDir: path.join(tmp, `ingest-${i}`), otlpPort: 0, xrayPort: null, ...b.options });
      b.port = (await b.telemetry.start()).otlpPort;
      b.spans = [];
      b.logs = [];
      b.spanCpu = [];
      b.logCpu = [];
    }
    for (let r = 0; r < ingestRuns; r++) {
      // Alternate who goes first, so that neither always meets a warmer (or a busier) machine.
      const order = r % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) {
        const spans = await ingest(b.telemetry, b.port, '/v1/traces', spanBodies, 512);
        const logs = await ingest(b.telemetry, b.port, '/v1/logs', logBodies, 512);
        b.spans.push(spans.perS);
        b.logs.push(logs.perS);
        b.spanCpu.push(spans);
        b.logCpu.push(logs);
      }
    }
    const [current, baseline] = builds;
    results.ingestSpansPerS = median(current.spans);
    results.ingestLogRecordsPerS = median(current.logs);
    const line = (what, xs, base) =>
      `ingest ${what}: ${Math.round(median(xs))}/s (${spread(xs)}); baseline ${Math.round(median(base))}/s (${spread(base)}); ratio ${(median(xs) / median(base)).toFixed(2)}×`;
    console.log(`ingest: OTLP protobuf, 512 per request, ${connections} connections, median (min–max) of ${ingestRuns} × ${ingestS}s; baseline: ${baseline.name}, interleaved`);
    console.log(line('spans', current.spans, baseline?.spans));
    console.log(line('log records', current.logs, baseline?.logs));
    const cpuLine = (what, xs, base) => {
      const f = (ys, k) => `${median(ys.map((y) => y[k])).toFixed(1)} (${ys.map((y) => y[k]).map((v) => v.toFixed(1)).join(', ')})`;
      const ratio = (k) => ` — ratio ${(median(xs.map((y) => y[k])) / median(base.map((y) => y[k]))).toFixed(2)}×`;
      console.log(`  CPU ms per 1000 ${what}, main thread: ${f(xs, 'mainMsPerK')}; baseline ${f(base, 'mainMsPerK')}${ratio('mainMsPerK')}`);
      console.log(`  CPU ms per 1000 ${what}, all threads: ${f(xs, 'allMsPerK')}; baseline ${f(base, 'allMsPerK')}${ratio('allMsPerK')}`);
    };
    cpuLine('spans', current.spanCpu, baseline?.spanCpu);
    cpuLine('log records', current.logCpu, baseline?.logCpu);
    console.log(`  (the sender runs on the same main thread: its share, the same for both, is in the main-thread figures)`);
    for (const b of builds) {
      const c = b.telemetry.status().counters.otlp;
      console.log(`  throttled (503, retried by the sender), ${b.name}: ${c.traces.throttled ?? 0} trace requests, ${c.logs.throttled ?? 0} log requests`);
    }
    for (const b of builds) await b.telemetry.shutdown();
  }
  // --- queries over `rows` rows of each signal, by this code and (with --baseline-dist) by the old ---
  queries: {
  if (values['ingest-only']) break queries;
  const endMs = Date.now();
  const startMs = endMs - 3_600_000;
  const textFile = path.join(tmp, 'logs.txt');
  const impls = [{ label: 'new', root: path.join(root, 'dist') }];
  if (values['baseline-dist'] !== undefined) impls.push({ label: 'old', root: path.resolve(values['baseline-dist']) });
  for (const impl of impls) {
    const mod = impl.label === 'new' ? { createTelemetry, decodeOtlpTraces: (await import(dist)).decodeOtlpTraces } : await import(path.join(impl.root, 'src/telemetry/index.js'));
    impl.telemetry = mod.createTelemetry({ dataDir: path.join(tmp, `query-${impl.label}`), otlpPort: null, xrayPort: null, maxBatchItems: 50_000 });
    await impl.telemetry.start();
    impl.loadS = await load(impl.telemetry, mod.decodeOtlpTraces, impl.label === 'new' ? textFile : undefined, endMs);
    console.log(`${impl.label}: loaded ${rows} log records, ${rows} spans (about), ${rows} metric points in ${impl.loadS.toFixed(1)}s`);
  }

  const logQuery = 'filter @message like "ERROR" | stats count(*) by bin(1m)';
  // The same over every record with patterns RE2 (re2js) runs: a real regex, and a case-insensitive literal (its fast path).
  const regexQueries = ['filter @message like /ERR(OR)?/ | stats count(*) by bin(1m)', 'filter @message like /error/i | stats count(*) by bin(1m)'];
  const figures = [
    { id: 'log', label: `log query '${logQuery}'`, run: async (t) => (await t.queryLogs({ query: logQuery, startMs, endMs })).rows.length, unit: 'bins' },
    ...regexQueries.map((q, i) => ({ id: `regex${i}`, label: `log query '${q}'`, run: async (t) => (await t.queryLogs({ query: q, startMs, endMs }, { maxRecordsScanned: 10_000_000, timeoutMs: 60_000 })).rows.length, unit: 'bins' })),
    { id: 'map', label: `service map over ${rows} spans`, run: async (t) => t.serviceMap(startMs, endMs + 1).nodes.length, unit: 'nodes' },
    { id: 'p99', label: `p99 per minute over ${rows} gauge points`, run: async (t) => t.queryMetric({ name: 'http.server.duration', stat: 'p99', periodMs: 60_000, startMs, endMs: endMs + 1 }).values.length, unit: 'periods' },
    { id: 'avg', label: `Average per minute over ${rows} gauge points`, run: async (t) => t.queryMetric({ name: 'http.server.duration', stat: 'Average', periodMs: 60_000, startMs, endMs: endMs + 1 }).values.length, unit: 'periods' },
  ];
  const ms = new Map(); // `${figure}/${impl}` -> durations
  const sizes = new Map();
  const shell = [];
  let grepCount = '';
  const grep = () => {
    grepCount = execSync(`grep -c ERROR ${textFile}`).toString().trim();
    execSync(`grep ERROR ${textFile} | cut -c1-16 | sort | uniq -c > /dev/null`, { shell: '/bin/sh' });
  };
  for (let r = 0; r < runs; r++) {
    // Rotate who goes first, so neither side always runs on a warmer cache.
    const order = [...impls.slice(r % impls.length), ...impls.slice(0, r % impls.length)];
    shell.push(await time(grep));
    for (const f of figures) {
      for (const impl of order) {
        const key = `${f.id}/${impl.label}`;
        const d = await time(async () => sizes.set(key, await f.run(impl.telemetry)));
        ms.set(key, [...(ms.get(key) ?? []), d]);
      }
    }
  }
  const grepMs = median(shell);
  console.log(`shell baseline, grep -c + grep | cut | sort | uniq -c: ${grepMs.toFixed(0)} ms (${spread(shell)}; ${grepCount} matches)`);
  for (const f of figures) {
    const parts = impls.map((impl) => {
      const xs = ms.get(`${f.id}/${impl.label}`);
      return `${impl.label} ${median(xs).toFixed(0)} ms (${spread(xs)}; ${sizes.get(`${f.id}/${impl.label}`)} ${f.unit})`;
    });
    const newMs = median(ms.get(`${f.id}/new`));
    const ratios = [];
    if (impls.length > 1) ratios.push(`new/old ${(newMs / median(ms.get(`${f.id}/old`))).toFixed(2)}×`);
    if (f.id === 'log') ratios.push(`new/shell ${(newMs / grepMs).toFixed(2)}×`);
    if (f.id.startsWith('regex')) ratios.push(`to the literal query ${(newMs / median(ms.get('log/new'))).toFixed(2)}×`);
    console.log(`${f.label}: ${parts.join('; ')}${ratios.length > 0 ? `; ${ratios.join(', ')}` : ''}`);
    results[f.id] = newMs;
  }
  console.log(`(medians of ${runs} runs, min–max in brackets)`);
  for (const impl of impls) await impl.telemetry.shutdown();
  }
} finally {
  agent.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
}
