// Rollback benchmark (`npm run bench -- rollback`): time from an alarm going to ALARM to 100% of the
// traffic back on the old revision, confirmed by the router (see round.js for one round).
//   npm run build && node bench/rollback/run.js [--rounds 3] [--runs 20] [--connections 4] [--no-load]
//                                               [--baseline-ref REF | --baseline-dist DIR | --no-baseline]
// Baselines in the same run:
//   - an older build of slipway (default: the last commit whose rollbacks pushed the whole routing
//     table), built once from git into the temp directory (or --baseline-dist, a built dist/ whose parent
//     has node_modules); its rounds alternate with the current build's, so drifting machine load
//     hits both alike;
//   - the router admin API's round trip (verifyWeights), the floor of any confirmed switch.
// Prints, for each build, the median and max over all runs and the spread of the round medians.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
/** The last commit whose rollbacks went through a full routing-table push. */
const DEFAULT_BASELINE_REF = '43c2687';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
    'no-load': { type: 'boolean', default: false },
    'baseline-ref': { type: 'string', default: DEFAULT_BASELINE_REF },
    'baseline-dist': { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const current = path.join(root, 'dist');
if (!fs.existsSync(path.join(current, 'src/server/index.js'))) {
  console.error('missing dist/: run `npm run build` first');
  process.exit(1);
}

/** Builds `ref` into <tmp>/slipway-rollback-baseline-<sha>/dist once (outside the repository, so no tool sees its sources); undefined when the ref is unknown. */
function baselineFromRef(ref) {
  let sha;
  try {
    sha = execFileSync('git', ['-C', root, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    console.error(`baseline ref ${ref} is not in this repository: no build baseline (give --baseline-dist)`);
    return undefined;
  }
  const dir = path.join(os.tmpdir(), `slipway-rollback-baseline-${sha.slice(0, 12)}`);
  const dist = path.join(dir, 'dist');
  if (fs.existsSync(path.join(dist, 'src/server/index.js'))) return dist;
  console.error(`building the baseline ${sha.slice(0, 12)} into ${dir} …`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['-C', root, 'archive', sha, 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  fs.rmSync(path.join(dir, 'src'), { recursive: true, force: true });
  return dist;
}

const baseline = values['no-baseline'] ? undefined : values['baseline-dist'] !== undefined ? path.resolve(values['baseline-dist']) : baselineFromRef(values['baseline-ref']);
const builds = [...(baseline === undefined ? [] : [{ label: 'baseline', dist: baseline }]), { label: 'current', dist: current }];

/** Runs one round in its own process (its own control plane, router and shop) and returns its result. */
function round(build) {
  const args = [path.join(here, 'round.js'), '--dist', build.dist, '--label', build.label, '--runs', values.runs, '--connections', values.connections, ...(values['no-load'] ? ['--no-load'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) reject(new Error(`${build.label} round exited ${code}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const max = (xs) => Math.max(...xs);
const fmt = (n) => n.toFixed(1);

const results = new Map(builds.map((b) => [b.label, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate which build goes first, so neither always runs on the warmer (or busier) machine.
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const b of order) {
    const res = await round(b);
    results.get(b.label).push(res);
    console.log(`round ${r + 1} ${b.label.padEnd(8)} rollback median ${fmt(median(res.engineMs))} ms, max ${fmt(max(res.engineMs))} ms; router update median ${fmt(median(res.routerUpdateMs))} ms (load average ${res.loadAverage[0].toFixed(1)})`);
  }
}

console.log('');
console.log(`machine: ${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim()}), Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`${rounds} rounds × ${values.runs} runs per build, interleaved${values['no-load'] ? ', no load' : `, under ~${median(results.get('current').map((x) => x.load?.reqPerS ?? 0))} req/s through the ingress`}`);
const figure = (name, pick, target) => {
  for (const b of builds) {
    const rs = results.get(b.label);
    const all = rs.flatMap(pick);
    const roundMedians = rs.map((x) => median(pick(x)));
    console.log(`${name.padEnd(44)} ${b.label.padEnd(8)} median ${fmt(median(all)).padStart(6)} ms, max ${fmt(max(all)).padStart(6)} ms  (round medians ${fmt(Math.min(...roundMedians))}–${fmt(Math.max(...roundMedians))})${target && b.label === 'current' ? `  target: ${target}` : ''}`);
  }
  if (builds.length === 2) {
    const [old, now] = builds.map((b) => results.get(b.label).flatMap(pick));
    console.log(`${''.padEnd(44)} current/baseline: median ${(median(now) / median(old)).toFixed(2)}×, max ${(max(now) / max(old)).toFixed(2)}×`);
  }
};
figure('rollback (alarm → 100% on old, confirmed)', (x) => x.engineMs, 'median < 25, max < 150');
figure('append → traffic event persisted', (x) => x.endToEndMs);
figure('  of which trigger → shift started', (x) => x.shiftStartedMs);
figure('  of which router update', (x) => x.routerUpdateMs);
figure('baseline: router admin round trip', (x) => x.baselineMs);
console.log('');
console.log('the router alone (in process, the rollback\'s table, 200 alternations per round):');
figure('router setWeights', (x) => x.routerSetWeightsMs);
figure('router whole-table push of the same change', (x) => x.routerTablePushMs);
figure('router setWeights, CPU time', (x) => x.routerSetWeightsCpuUs.map((u) => u / 1000));
figure('router whole-table push, CPU time', (x) => x.routerTablePushCpuUs.map((u) => u / 1000));
