// Plan time (`npm run bench -- iac`): a commit to a 50-service × 3-environment app model (an alarm
// added, a scaling minimum raised, production's strategy switched) planned against the live state
// of the previous model: resolve the committed model, derive its resources, diff them with the live
// ones. Baseline in the same run, interleaved: resolving the committed model alone, which every plan
// pays before it can compare anything. Median and p95 over many runs; target < 200 ms.
//   npm run build && node bench/iac/run.js [--runs 300] [--dist dist]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS, EXPECTED_CHANGES, SERVICES, baseDefinition, commitDefinition } from './model.js';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, dist: { type: 'string', default: path.join(root, 'dist') } } });
const runs = Number(values.runs);
const dist = path.resolve(values.dist);
if (!fs.existsSync(path.join(dist, 'src/iac/index.js'))) {
  console.error(`missing ${path.join(dist, 'src/iac/index.js')}: run \`npm run build\` first`);
  process.exit(1);
}
const { canary, resolveApp } = await import(path.join(dist, 'src/shared/index.js'));
const { desiredResources, planChanges } = await import(path.join(dist, 'src/iac/index.js'));

// The live state: what the previous commit's model applied (the live model has the same resources).
const live = desiredResources(resolveApp(baseDefinition(canary)));
// A fresh definition object per run, as a commit's config is loaded anew.
const definitions = Array.from({ length: runs + 20 }, () => commitDefinition(canary));

const plan = (def) => planChanges(desiredResources(resolveApp(def)), live);
const check = plan(commitDefinition(canary));
const got = check.changes.map((c) => `${c.action} ${c.resourceId}`).sort();
if (JSON.stringify(got) !== JSON.stringify(EXPECTED_CHANGES)) {
  console.error(`the plan is wrong: expected ${EXPECTED_CHANGES.join(', ')}; got ${got.join(', ')}`);
  process.exit(1);
}

const planMs = [];
const baselineMs = [];
const diffOnlyMs = [];
for (let i = 0; i < definitions.length; i++) {
  const warm = i < 20;
  // Alternate which goes first, so neither always runs on a cache the other warmed.
  const order = i % 2 === 0 ? ['plan', 'baseline'] : ['baseline', 'plan'];
  for (const which of order) {
    const def = which === 'plan' ? definitions[i] : commitDefinition(canary);
    const t = performance.now();
    if (which === 'plan') plan(def);
    else resolveApp(def);
    if (!warm) (which === 'plan' ? planMs : baselineMs).push(performance.now() - t);
  }
  const desired = desiredResources(resolveApp(commitDefinition(canary)));
  const t = performance.now();
  planChanges(desired, live);
  if (!warm) diffOnlyMs.push(performance.now() - t);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f = (ms) => ms.toFixed(2);
const planMedian = pct(planMs, 50);
const baseMedian = pct(baselineMs, 50);
console.log(`model: ${SERVICES} services × ${ENVIRONMENTS.length} environments, ${live.length} live resources; commit plans ${check.changes.length} changes (${got.join(', ')})`);
console.log(`${runs} runs, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('');
console.log('| | median ms | p95 ms |');
console.log('|---|---:|---:|');
console.log(`| plan: resolveApp + desiredResources + planChanges | ${f(planMedian)} | ${f(pct(planMs, 95))} |`);
console.log(`| planChanges alone (the diff and its order) | ${f(pct(diffOnlyMs, 50))} | ${f(pct(diffOnlyMs, 95))} |`);
console.log(`| baseline: resolveApp of the same model | ${f(baseMedian)} | ${f(pct(baselineMs, 95))} |`);
console.log('');
console.log(`plan / baseline: ${(planMedian / baseMedian).toFixed(2)}× at the median; target < 200 ms: ${pct(planMs, 95) < 200 ? 'met' : 'missed'} (p95 ${f(pct(planMs, 95))} ms)`);

// Then the time from a config commit to the change live, on a real control plane.
console.log('');
console.log('commit to live (bench/iac/commit-to-live.js):');
const commitToLive = spawnSync(process.execPath, [path.join(here, 'commit-to-live.js'), '--dist', dist], { stdio: 'inherit' });
if (commitToLive.status !== 0) process.exitCode = 1;
