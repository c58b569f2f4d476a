#!/usr/bin/env node
// The compiled CLI: `npm install` builds dist/ in `prepare`, so nothing is compiled at start.
import { main } from '../dist/src/cli/index.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`slipway: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
