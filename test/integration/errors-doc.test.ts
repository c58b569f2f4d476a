import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/shared/index.js';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');

describe('docs/errors.md', () => {
  it('lists exactly the codes of the catalog, with their status and message (run `npm run docs:errors` to fix)', () => {
    const documented = new Map<string, string>();
    for (const m of doc.matchAll(/^\| `(SLW_ERR_[A-Z0-9_]+)` \| (\d+) \| (.*) \|$/gm)) documented.set(m[1]!, `${m[2]} ${m[3]}`);
    const catalog = new Map(Object.entries(errorCatalog).map(([code, spec]) => [code, `${spec.status} ${spec.message}`]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalog));
  });

  it('names codes as SLW_ERR_<AREA>_<WHAT> with an HTTP error status', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^SLW_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
    }
  });
});
