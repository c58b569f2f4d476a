import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintForSecurity } from './eslint-security.js';

describe('lintForSecurity (the real ESLint, in a child process)', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, 'repo', rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo', rel), text);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-eslint-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports eval, new Function and __proto__ in JavaScript and TypeScript, with file and line, and cannot be switched off inline', async () => {
    // GIVEN JavaScript with eval (behind an eslint-disable comment), TypeScript with new Function, clean code, a file that does not parse and node_modules
    write('src/a.js', '// eslint-disable-next-line no-eval\nconst x = eval("1 + 1");\nmodule.exports = x;\n');
    write('src/b.ts', 'const f = new Function("return 1");\nexport const y: number = f();\nexport const p = ({} as { __proto__: unknown }).__proto__;\n');
    write('src/clean.mjs', 'export const sum = (a, b) => a + b;\n');
    write('src/broken.js', 'const = ;\n');
    write('node_modules/dep/index.js', 'eval("x");\n');
    // WHEN linted with the security rule set
    const r = await lintForSecurity(path.join(dir, 'repo'), ['.'], path.join(dir, 'cfg'), 60_000);
    // THEN each finding is there, by rule, file and line; the broken file is a warning; node_modules is left out
    if (!r.ok) throw new Error(r.message);
    const found = r.findings.map((f) => `${f.level} ${f.file}:${f.line} ${f.rule}`).sort();
    expect(found).toEqual(['error src/a.js:2 no-eval', 'error src/b.ts:1 no-new-func', 'error src/b.ts:3 no-proto', 'warning src/broken.js:1 parse-error']);
    expect(r.skipped).toEqual([]);
  }, 60_000);
});
