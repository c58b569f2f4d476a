import fs from 'node:fs';
import path from 'node:path';
import { RE2JS } from 're2js';

/** A compiled glob. */
export interface GlobMatcher {
  /** Whether the whole of `path` (relative, `/`-separated) matches. */
  test(path: string): boolean;
}

/**
 * Compiles a buildspec glob to a matcher over `/`-separated relative paths:
 * `**` matches any number of directories, `*` anything within one segment,
 * `?` one character. A leading `./` is ignored. Globs come from the app model
 * and buildspecs, and what they match (branch names from pushes, file names
 * from a build) from anyone, so they run on RE2 (re2js), in time linear in
 * the path: `*a*a*a*a*a*a*b` against a 100-character branch name took 27 s
 * on a backtracking engine.
 *
 * @example globMatcher('**\/*.xml').test('reports/unit.xml') // true
 */
export function globMatcher(glob: string): GlobMatcher {
  const g = glob.replace(/^\.\//, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += RE2JS.quote(c);
  }
  const compiled = RE2JS.compile(re);
  return { test: (p) => compiled.testExact(p) };
}

/** Files (and symlinks) under `root`, relative and `/`-separated, sorted; directories are walked, not listed. */
export function walkFiles(root: string, skipDirs: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!skipDirs.has(e.name)) visit(child);
      } else if (e.isFile() || e.isSymbolicLink()) out.push(child);
    }
  };
  visit('');
  return out.sort();
}

/** Files under `root` matching any of `include` and none of `exclude`. */
export function matchFiles(root: string, include: readonly string[], exclude: readonly string[] = []): string[] {
  const inc = include.map(globMatcher);
  const exc = exclude.map(globMatcher);
  return walkFiles(root).filter((f) => inc.some((r) => r.test(f)) && !exc.some((r) => r.test(f)));
}
