import fs from 'node:fs';
import path from 'node:path';

/**
 * Compiles a buildspec glob to a RegExp over `/`-separated relative paths:
 * `**` matches any number of directories, `*` anything within one segment,
 * `?` one character. A leading `./` is ignored.
 *
 * @example globToRegExp('**\/*.xml').test('reports/unit.xml') // true
 */
export function globToRegExp(glob: string): RegExp {
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
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
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
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return walkFiles(root).filter((f) => inc.some((r) => r.test(f)) && !exc.some((r) => r.test(f)));
}
