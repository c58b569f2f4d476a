import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventCatalog, renderEventsDoc } from '../../src/shared/index.js';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/events.md'), 'utf8');

describe('docs/events.md', () => {
  it('is what the catalog renders today (run `npm run docs:events` to fix)', () => {
    expect(doc).toBe(renderEventsDoc());
  });

  it('has one row per catalogued type', () => {
    const documented = [...doc.matchAll(/^\| `([a-z0-9_.]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('names types in the past tense and dotted, each with one line of doc', () => {
    for (const [type, spec] of Object.entries(eventCatalog)) {
      expect(type).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/);
      expect(spec.doc).toMatch(/^\S.*\.$/);
      expect(spec.doc).not.toContain('\n');
    }
  });
});
