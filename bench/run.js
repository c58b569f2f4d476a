// Runs every benchmark under bench/ in turn (`npm run bench`); each prints its figures and ratios.
// Benchmarks run against dist/: build first (npm run build). With BENCH_BASELINE_DIST=<dir> (a dist/
// built from an earlier commit and saved with `node bench/save-baseline.js DIR`, which links the
// project's packages), the benches that take --baseline-dist run that build too, interleaved, and
// print new/old next to each figure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(here, d.name, 'run.js')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name} ===`);
  const script = path.join(here, name, 'run.js');
  const baseline = process.env.BENCH_BASELINE_DIST;
  const args = baseline !== undefined && fs.readFileSync(script, 'utf8').includes('--baseline-dist') ? ['--baseline-dist', baseline] : [];
  const r = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
