import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');

/** The levels of the layering sentence, top first: "`cli` → `server` → `a`/`b` → …". */
function documentedLevels(): string[][] {
  const m = /Dependencies point\s+downwards:\s+([^.]+)\./.exec(doc);
  if (!m) throw new Error('docs/architecture.md has no sentence "Dependencies point downwards: …."');
  return m[1]!.split('→').map((level) => [...level.matchAll(/`([a-z]+)`/g)].map((n) => n[1]!));
}

/** Every source file under `dir` (tests included: they sit beside the code and may not reach upwards either). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative module a file names: imports, re-exports, `import()` and `import('…').T` types. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  // Declarations sit at the top level; only a file that writes `import(` needs the whole tree walked.
  if (text.includes('import(')) visit(sf);
  else sf.statements.forEach((st) => (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && visit(st));
  return out.filter((s) => s.startsWith('.'));
}

/** The context a path under src/ belongs to (its first folder), or undefined for files at the root of src/ and outside it. */
function contextOf(p: string): string | undefined {
  const rel = path.relative(SRC, p);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const first = rel.split(path.sep)[0]!;
  return rel.includes(path.sep) ? first : undefined;
}

describe('docs/architecture.md', () => {
  const levels = documentedLevels();
  const levelOf = new Map(levels.flatMap((names, i) => names.map((n) => [n, i] as const)));

  it('names every context under src/ exactly once in its layering sentence, and no other', () => {
    const contexts = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const named = levels.flat();
    expect([...named].sort()).toEqual(contexts);
    expect(new Set(named).size).toBe(named.length);
  });

  it('is true of the code: every import between contexts goes to a level below the importer', () => {
    const wrong: string[] = [];
    for (const file of sources(SRC)) {
      const from = contextOf(file);
      if (from === undefined) continue;
      for (const spec of specifiers(file)) {
        const to = contextOf(path.resolve(path.dirname(file), spec));
        if (to === undefined || to === from) continue;
        if (!((levelOf.get(to) ?? -1) > (levelOf.get(from) ?? Infinity))) wrong.push(`${path.relative(ROOT, file)} imports ${spec} (${from} → ${to})`);
      }
    }
    // GIVEN the documented order WHEN every import under src/ is read THEN none points up or sideways
    expect(wrong).toEqual([]);
  });
});
