import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { RE2JS } from 're2js';
import { InputError } from '../../shared/index.js';

/** A compiled glob. */
export interface GlobMatcher {
  /** Whether the whole of `path` (relative, `/`-separated) matches. */
  test(path: string): boolean;
}

/**
 * What picomatch puts in front of segments so that `*` never matches `.` or `..` and never an
 * empty segment. The paths matched here are walked file paths and ref names, which have neither,
 * so dropping these lookarounds (which RE2 cannot run) does not change what matches.
 */
const SEGMENT_GUARDS = ['(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?!\\.{1,2}(?:\\/|$))', '(?=.)'];
const LOOKAROUND = /\(\?<?[=!]/;

/**
 * Compiles a glob to a matcher over `/`-separated relative paths. The glob is parsed by
 * picomatch (bash semantics: `**` any number of directories, `*` and `?` within one segment,
 * braces `{js,css}` and ranges `{1..3}`, classes `[ab]`, `[!a]`, `[[:digit:]]`, extglobs
 * `@(a|b)`), with dotfiles matched like any other file (`dot`, as CodeBuild selects
 * `.ebextensions/**` with `**\/*`). A leading `./` is ignored. The regular expression picomatch
 * produces runs on RE2 (re2js), in time linear in the path: globs come from the app model and
 * buildspecs, and what they match (branch names from pushes, file names from a build) from
 * anyone; `*a*a*a*a*a*a*b` against a 100-character name took 27 s on a backtracking engine.
 * A negated extglob `!(…)` needs a lookahead and is refused (write a `!` pattern instead).
 * Throws `SLW_ERR_BUILD_GLOB_INVALID`.
 *
 * @example globMatcher('dist/**\/*.{js,css}').test('dist/app/main.css') // true
 */
export function globMatcher(glob: string): GlobMatcher {
  let source: string;
  try {
    source = picomatch.makeRe(glob, { dot: true, posix: true }).source;
  } catch (err) {
    throw new InputError('SLW_ERR_BUILD_GLOB_INVALID', `glob ${JSON.stringify(glob)}: ${(err as Error).message}`);
  }
  for (const guard of SEGMENT_GUARDS) source = source.split(guard).join('');
  if (LOOKAROUND.test(source)) throw new InputError('SLW_ERR_BUILD_GLOB_INVALID', `glob ${JSON.stringify(glob)}: a negated extglob !(…) is not supported; list what to leave out as a separate "!pattern"`);
  const compiled = RE2JS.compile(source);
  return { test: (p) => compiled.testExact(p) };
}

/** Whether a glob is a `!` pattern (an exclusion), not a `!(…)` extglob. */
export function isNegatedGlob(glob: string): boolean {
  return glob.startsWith('!') && !glob.startsWith('!(');
}

/**
 * Why a glob (or a base directory) would reach outside the directory it is relative to, or
 * undefined: an absolute path, a `..` segment, or a `~` home reference.
 */
export function escapingGlobReason(glob: string): string | undefined {
  const g = isNegatedGlob(glob) ? glob.slice(1) : glob;
  if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g)) return 'is an absolute path; paths are relative to the source directory';
  if (g.startsWith('~')) return 'starts with ~; paths are relative to the source directory';
  if (g.split(/[\\/]/).includes('..')) return 'has a .. segment; it must stay inside the source directory';
  return undefined;
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

/**
 * Files under `root` matching any of `include` and none of `exclude`. A pattern of `include`
 * starting with `!` excludes too (`['**\/*', '!**\/*.map']`), wherever it stands in the list.
 * Throws `SLW_ERR_BUILD_GLOB_INVALID` for a glob that leaves `root` (see {@link escapingGlobReason}).
 */
export function matchFiles(root: string, include: readonly string[], exclude: readonly string[] = []): string[] {
  for (const g of [...include, ...exclude]) {
    const reason = escapingGlobReason(g);
    if (reason !== undefined) throw new InputError('SLW_ERR_BUILD_GLOB_INVALID', `glob ${JSON.stringify(g)} ${reason}`);
  }
  const inc = include.filter((g) => !isNegatedGlob(g)).map(globMatcher);
  const exc = [...exclude, ...include.filter(isNegatedGlob).map((g) => g.slice(1))].map(globMatcher);
  return walkFiles(root).filter((f) => inc.some((r) => r.test(f)) && !exc.some((r) => r.test(f)));
}
