import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, isCustomEventType, isEventType } from '../../src/shared/index.js';

const SRC = path.resolve(import.meta.dirname, '../../src');
const CATALOG = path.join(SRC, 'shared', 'events');

/** Every non-test TypeScript file under src/, outside the catalog itself, with its text. */
function sources(): { file: string; text: string }[] {
  return (fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-fixtures'))
    .map((f) => path.join(SRC, f))
    .filter((f) => !f.startsWith(CATALOG))
    .map((file) => ({ file: path.relative(SRC, file), text: fs.readFileSync(file, 'utf8') }));
}

const DOTTED = String.raw`'([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)'`;
/** How writers name the type of an event they append: `type: '…'` in an append, or the first argument of an emit helper. */
const WRITES = [new RegExp(String.raw`\btype:\s*(?:[^'\n,}]*\?\s*)?` + DOTTED, 'g'), new RegExp(String.raw`(?:\bemit|#emit|#event)\([^'()\n]*?` + DOTTED, 'g')];
/** The other branch of a conditional type (`cond ? 'a.b' : 'c.d'`). */
const ALTERNATIVE = new RegExp(String.raw`\btype:\s*[^'\n,}]*\?\s*'[^']*'\s*:\s*` + DOTTED, 'g');

describe('the event catalog', () => {
  const files = sources();
  const appenders = files.filter((f) => /\.append(?:All)?\(|events\.push\(|\bemit\(|#emit\(|#event\(/.test(f.text));

  it('holds every event type appended anywhere in src/', () => {
    // GIVEN every type literal a writer in src/ hands to the log or to an emit helper
    const found = new Map<string, string>();
    for (const { file, text } of appenders) {
      for (const re of [...WRITES, ALTERNATIVE]) for (const m of text.matchAll(re)) found.set(m[1]!, file);
    }
    // THEN there are many, and each is catalogued
    expect(found.size).toBeGreaterThan(40);
    const outside = [...found].filter(([type]) => !isEventType(type) && !isCustomEventType(type));
    expect(outside, 'appended but not in src/shared/events (add them to the catalog)').toEqual([]);
  });

  it('builds no event type from a template literal, so every appended type is a catalogued literal', () => {
    const built = appenders.flatMap(({ file, text }) =>
      [...text.matchAll(/(?:\btype:\s*|\bemit\([^`()\n]*?|#emit\([^`()\n]*?|#event\()`[a-z_.]*\$\{/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(built).toEqual([]);
  });

  it('has no entry that nothing in src/ writes or reads', () => {
    const text = files.map((f) => f.text).join('\n');
    const unused = EVENT_TYPES.filter((t) => !text.includes(`'${t}'`) && !text.includes(t.toUpperCase().replaceAll('.', '_')));
    expect(unused).toEqual([]);
  });

  it('finds the writers it scans for (the scan itself works)', () => {
    // GIVEN the writers named in the issue WHEN scanned THEN each shows up as an appender
    const names = appenders.map((f) => f.file);
    for (const f of ['runtime/supervisor/start-task.ts', 'pipelines/engine/run-executor.ts', 'deployments/reconciler.ts', 'alarms/alarms.ts', 'incidents/service.ts', 'server/control-plane.ts']) {
      expect(names).toContain(f);
    }
  });
});
