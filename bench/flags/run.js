// Flags (`npm run bench -- flags`): a real control plane from dist with one flag (a targeting rule
// and a 10 % split), measured two ways a service evaluates it:
//   in process  SlipwayProvider.evaluate (the snapshot, no network) and the same through the
//               OpenFeature SDK client; baseline in the same run: a Map lookup and a typeof check,
//               the least an in-process evaluation can do;
//   OFREP       POST /ofrep/v1/evaluate/flags/{key} over loopback, one request at a time, p50/p99,
//               from a client in its own process (loopback-client.js), as a service would call:
//               on the OFREP worker's listener (SLIPWAY_FLAGS_URL, off the main event loop) and on
//               the API port's route (the main thread); baseline in the same run: GET
//               /api/v1/health on the API port (HTTP alone, on the main thread).
// Several rounds, interleaved; medians.
//   npm run build && node bench/flags/run.js [--rounds 5] [--evals 1000000] [--requests 2000]
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, evals: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '2000' }, dist: { type: 'string', default: path.join(root, 'dist') } } });
const rounds = Number(values.rounds);
const evals = Number(values.evals);
const requests = Number(values.requests);
const dist = path.resolve(values.dist);
if (!fs.existsSync(path.join(dist, 'src/flags/provider/index.js'))) {
  console.error(`missing ${path.join(dist, 'src/flags/provider/index.js')}: run \`npm run build\` first`);
  process.exit(1);
}
const { startControlPlane } = await import(path.join(dist, 'src/server/index.js'));
const { SlipwayProvider } = await import(path.join(dist, 'src/flags/provider/index.js'));
const { FlagTokens } = await import(path.join(dist, 'src/flags/index.js'));
const { readOrCreateSecret } = await import(path.join(dist, 'src/core/index.js'));
const { OpenFeature } = await import('@openfeature/server-sdk');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-flags-'));
const file = path.join(tmp, 'slipway.config.json');
fs.writeFileSync(file, JSON.stringify({
  name: 'bench',
  services: { web: { path: path.join(root, 'test/fixtures'), start: 'node flags-service.mjs', health: { path: '/healthz', interval: '1s' } } },
  environments: { production: { ingressPort: 0 } },
  flags: { newCheckout: { default: false, rules: [{ match: { plan: 'beta' }, value: true }, { percentage: 10, value: true }] } },
}));
const cp = await startControlPlane({ dataDir: path.join(tmp, 'data'), port: 0, configFile: file, otlpPort: null, xrayPort: null, drainMs: 100 });
// The token the runtime gave the service's task, signed with the data directory's key.
const token = new FlagTokens(readOrCreateSecret(cp.dataDir.flagsKeyFile)).tokenFor('production', 'web');
const provider = new SlipwayProvider({ url: cp.url, token, impressionIntervalMs: 3_600_000 });
await OpenFeature.setProviderAndWait('bench', provider);
const client = OpenFeature.getClient('bench');

const keys = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `user-${i}` }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function perSecond(fn, n) {
  const t = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += fn(keys[i % keys.length]) ? 1 : 0;
  const s = (performance.now() - t) / 1000;
  if (sink < 0) console.log(sink);
  return n / s;
}
async function perSecondAsync(fn, n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn(keys[i % keys.length]);
  return n / ((performance.now() - t) / 1000);
}
const snapshot = new Map(provider.flags.map((f) => [f.flag.key, f]));
const baseline = (ctx) => typeof snapshot.get('newCheckout').flag.defaultValue === 'boolean' && ctx.targetingKey.length > 0;
const local = (ctx) => provider.evaluate('newCheckout', false, ctx).value;
const sdk = (ctx) => client.getBooleanValue('newCheckout', false, ctx);

/** One round of the loopback client, in its own process: `{ worker: ms[], api: ms[], health: ms[] }`. */
function loopback(order) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(here, 'loopback-client.js'), cp.url, cp.ofrep.url, token, String(requests), order.join(',')], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))));
  });
}

const KINDS = ['worker', 'api', 'health'];
const r = { baseline: [], local: [], cold: [], sdk: [], workerP50: [], workerP99: [], apiP50: [], apiP99: [], healthP50: [], healthP99: [] };
try {
  perSecond(local, 100_000);
  await perSecondAsync(sdk, 10_000);
  for (let round = 0; round < rounds; round++) {
    r.baseline.push(perSecond(baseline, evals));
    r.local.push(perSecond(local, evals));
    // Keys never seen before: no bucket is remembered, every evaluation hashes.
    const fresh = Array.from({ length: 200_000 }, (_, i) => ({ targetingKey: `cold-${round}-${i}` }));
    const t = performance.now();
    for (const ctx of fresh) local(ctx);
    r.cold.push(fresh.length / ((performance.now() - t) / 1000));
    r.sdk.push(await perSecondAsync(sdk, Math.min(evals, 200_000)));
    // Rotate which goes first, so none always runs on a server another warmed.
    const lat = await loopback(KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]));
    for (const kind of KINDS) {
      r[`${kind}P50`].push(pct(lat[kind], 50));
      r[`${kind}P99`].push(pct(lat[kind], 99));
    }
  }
} finally {
  await OpenFeature.close();
  await cp.close({ stopTasks: true });
  fs.rmSync(tmp, { recursive: true, force: true });
}
const m = (x) => median(x);
const f = (n) => `${(n / 1e6).toFixed(2)} M/s`;
console.log(`${rounds} rounds, ${evals} evaluations and ${requests} requests each, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('');
console.log('| in process | evaluations/s (median) |');
console.log('|---|---:|');
console.log(`| baseline: Map lookup + typeof | ${f(m(r.baseline))} |`);
console.log(`| SlipwayProvider.evaluate, 10 000 keys cycling | ${f(m(r.local))} |`);
console.log(`| SlipwayProvider.evaluate, every key new | ${f(m(r.cold))} |`);
console.log(`| OpenFeature client.getBooleanValue (await) | ${f(m(r.sdk))} |`);
console.log('');
const spread = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const row = (name, kind) => console.log(`| ${name} | ${m(r[`${kind}P50`]).toFixed(3)} | ${m(r[`${kind}P99`]).toFixed(3)} (${spread(r[`${kind}P99`])}) |`);
console.log('| over loopback, one at a time | p50 ms | p99 ms (rounds) |');
console.log('|---|---:|---:|');
row('baseline: GET /api/v1/health (main thread)', 'health');
row('OFREP on the API port (main thread)', 'api');
row('OFREP on the worker (SLIPWAY_FLAGS_URL)', 'worker');
console.log('');
console.log(`targets: ≥ 1 M evaluations/s in process: ${m(r.local) >= 1e6 ? 'met' : 'missed'} (${f(m(r.local))}); OFREP p99 < 2 ms on the worker: ${m(r.workerP99) < 2 ? 'met' : 'missed'} (${m(r.workerP99).toFixed(3)} ms)`);
