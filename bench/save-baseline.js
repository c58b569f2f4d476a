// Saves the current build as a baseline for the benches' `--baseline-dist DIR`, so an earlier build
// and the new one run side by side in the same bench run (BENCH_BASELINE_DIST=DIR npm run bench):
//   npm run build && node bench/save-baseline.js DIR    (on the unchanged code)
//   … change the code, npm run build …
//   node bench/router/run.js --baseline-dist DIR
// DIR gets a copy of dist/, a package.json marking it as ES modules, and a link to node_modules.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: node bench/save-baseline.js DIR');
  process.exit(1);
}
const target = path.resolve(dir);
if (!fs.existsSync(path.join(root, 'dist/src/router/main.js'))) {
  console.error('missing dist/src/router/main.js: run `npm run build` first');
  process.exit(1);
}
fs.rmSync(target, { recursive: true, force: true });
fs.cpSync(path.join(root, 'dist'), target, { recursive: true });
fs.writeFileSync(path.join(target, 'package.json'), '{ "type": "module" }\n');
fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(target, 'node_modules'));
console.log(`baseline saved in ${target}`);
