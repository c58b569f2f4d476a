// Writes docs/errors.md from the error-code catalog (run `npm run docs:errors` after adding a code).
import fs from 'node:fs';
import path from 'node:path';
import { errorCatalog } from '../dist/src/shared/index.js';

/** The markdown page for a catalog. */
export function renderErrorsDoc(catalog) {
  const rows = Object.entries(catalog)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.message} |`);
  return [
    '# Error codes',
    '',
    'Every error slipway reports has a stable code. The API answers with the HTTP status below and the body',
    '`{ "error": { "code", "message", "issues"?: [{ "path", "message" }] } }`; the CLI prints the message and exits 1.',
    'This page is generated from `src/shared/errors/codes/` by `npm run docs:errors`; a test fails when they differ.',
    '',
    '| code | HTTP status | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.resolve(import.meta.dirname, '../docs/errors.md');
  fs.writeFileSync(out, renderErrorsDoc(errorCatalog));
  console.log(`wrote ${path.relative(process.cwd(), out)} (${Object.keys(errorCatalog).length} codes)`);
}
