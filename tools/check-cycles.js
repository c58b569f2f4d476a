// Fails when modules under src/ import each other in a cycle (STYLE.md: "no import cycles").
//   node tools/check-cycles.js
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../src');

/** Every .ts source file under a folder (tests excluded: they sit beside the code, not in it). */
function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * The local modules a file imports or re-exports at run time, as absolute .ts paths.
 * Type-only imports are skipped: they vanish from the JavaScript and cannot form a load-order cycle.
 */
function importsOf(file) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const specifiers = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      const typeOnly = c !== undefined && (c.isTypeOnly || (!c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) specifiers.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      const named = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements : undefined;
      if (!(named && named.length > 0 && named.every((e) => e.isTypeOnly))) specifiers.push(st.moduleSpecifier.text);
    }
  }
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((p) => fs.existsSync(p));
}

/** Finds one cycle per strongly connected set, iteratively (no recursion limit). */
export function findCycles(graph) {
  const cycles = [];
  const state = new Map(); // undefined: new, 1: on stack, 2: done
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack = [[start, 0]];
    const pathStack = [start];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      const next = (graph.get(node) ?? [])[i];
      if (next === undefined) {
        state.set(node, 2);
        stack.pop();
        pathStack.pop();
        continue;
      }
      top[1] = i + 1;
      if (state.get(next) === 1) cycles.push([...pathStack.slice(pathStack.indexOf(next)), next]);
      else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
        pathStack.push(next);
      }
    }
  }
  return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = new Map(sources(root).map((f) => [f, importsOf(f)]));
  const cycles = findCycles(graph);
  for (const c of cycles) console.error(`import cycle: ${c.map((p) => path.relative(root, p)).join(' → ')}`);
  if (cycles.length > 0) process.exit(1);
  console.log(`no import cycles among ${graph.size} modules`);
}
