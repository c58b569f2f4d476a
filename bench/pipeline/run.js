// Build executor benchmark: runBuild of a buildspec with N trivial commands vs the same
// commands in a plain shell script, in one run.
//   npm run build && node bench/pipeline/run.js [--runs 15] [--commands 20]
// Prints the medians, the ratio, and the per-command overhead of runBuild in ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const index = path.resolve(here, '../../dist/src/pipelines/index.js');
if (!fs.existsSync(index)) {
  console.error('missing dist/src/pipelines/index.js: run `npm run build` first');
  process.exit(1);
}
const { runBuild, staticSecretStore } = await import(index);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, commands: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const n = Number(values.commands);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-build-'));
const commands = Array.from({ length: n }, (_, i) => `echo step-${i} > /dev/null`);
fs.writeFileSync(path.join(dir, 'buildspec.yml'), `version: 0.2\nphases:\n  build:\n    commands:\n${commands.map((c) => `      - ${c}`).join('\n')}\n`);
fs.writeFileSync(path.join(dir, 'plain.sh'), `${commands.join('\n')}\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const buildMs = [];
const shellMs = [];
for (let i = 0; i < runs + 1; i++) {
  let t = performance.now();
  const r = await runBuild({ buildId: `bench-${i}`, buildNumber: i + 1, sourceDir: dir, commitSha: '0'.repeat(40), secrets: staticSecretStore({}) });
  if (r.status !== 'Succeeded') throw new Error(`build ${r.status}: ${r.failureReason}`);
  const b = performance.now() - t;
  t = performance.now();
  const s = spawnSync('/bin/sh', [path.join(dir, 'plain.sh')], { cwd: dir, stdio: 'ignore' });
  if (s.status !== 0) throw new Error('plain script failed');
  const p = performance.now() - t;
  // The first round warms caches and the JIT; it is not counted.
  if (i > 0) {
    buildMs.push(b);
    shellMs.push(p);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
const mb = median(buildMs);
const ms = median(shellMs);
console.log(JSON.stringify({
  commands: n,
  runs,
  runBuildMedianMs: Number(mb.toFixed(2)),
  plainShellMedianMs: Number(ms.toFixed(2)),
  ratio: Number((mb / ms).toFixed(2)),
  perCommandOverheadMs: Number(((mb - ms) / n).toFixed(3)),
}));

// The pipeline engine on top: a 20-action run vs the same commands in a shell, and webhook latency.
const { benchPipelineRun } = await import('./pipeline-run.js');
console.log(JSON.stringify(await benchPipelineRun({ runs: 10, actions: n })));
