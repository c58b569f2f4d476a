import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { extractTarGz, writeTarGz, type TarInputEntry } from '../artifacts/index.js';
import { matchFiles } from './glob.js';

const CACHE_FILE = 'cache.tar.gz';

/** Restores a saved cache into the source directory (safely, as any archive); returns the number of entries. */
export async function restoreCache(cacheDir: string, sourceDir: string): Promise<number> {
  const file = path.join(cacheDir, CACHE_FILE);
  if (!fs.existsSync(file)) return 0;
  return extractTarGz(file, sourceDir);
}

/**
 * Saves the files `cache.paths` select (globs relative to the source
 * directory; a plain directory name means everything under it) as the new
 * cache, replacing the old one atomically. Returns the number of files.
 */
export async function saveCache(cacheDir: string, sourceDir: string, paths: readonly string[]): Promise<number> {
  const globs = paths.map((p) => (/[*?]/.test(p) ? p : fs.statSync(path.join(sourceDir, p), { throwIfNoEntry: false })?.isDirectory() ? `${p.replace(/\/$/, '')}/**/*` : p));
  const entries: TarInputEntry[] = [];
  for (const rel of matchFiles(sourceDir, globs)) {
    const abs = path.join(sourceDir, rel);
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) {
      const target = fs.readlinkSync(abs);
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target));
      if (!path.posix.isAbsolute(target) && !resolved.startsWith('../') && resolved !== '..') entries.push({ type: 'symlink', path: rel, linkTarget: target });
    } else if (st.isFile()) entries.push({ type: 'file', path: rel, sourcePath: abs, mode: st.mode, size: st.size });
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `${crypto.randomUUID()}.tmp`);
  try {
    await writeTarGz(entries, tmp);
    fs.renameSync(tmp, path.join(cacheDir, CACHE_FILE));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return entries.length;
}
