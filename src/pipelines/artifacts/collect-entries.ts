import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../shared/index.js';
import type { TarInputEntry } from './tar/write-tar.js';
import type { ArtifactFile } from './model.js';

function bad(message: string): InputError {
  return new InputError('SLW_ERR_ARTIFACT_INPUT', message);
}

/**
 * Turns files to archive into tar entries sorted by path. Refuses absolute or
 * `..` paths, duplicates, and symlinks whose target leaves the artifact
 * (a symlink is kept as a symlink, never followed).
 */
export function collectEntries(files: readonly ArtifactFile[]): TarInputEntry[] {
  const seen = new Set<string>();
  const entries: TarInputEntry[] = [];
  for (const f of files) {
    const rel = f.path.replace(/^\.\//, '');
    const segments = rel.split('/');
    if (rel === '' || rel.startsWith('/') || segments.includes('..') || segments.includes('')) throw bad(`artifact path ${JSON.stringify(f.path)} must be relative, without .. or empty segments`);
    if (seen.has(rel)) throw bad(`artifact path ${JSON.stringify(rel)} is listed twice (discard-paths can cause this)`);
    seen.add(rel);
    const st = fs.lstatSync(f.sourcePath, { throwIfNoEntry: false });
    if (st === undefined) throw bad(`${f.sourcePath} does not exist`);
    if (st.isSymbolicLink()) {
      const target = fs.readlinkSync(f.sourcePath);
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target));
      if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
        throw bad(`symlink ${rel} -> ${target} points outside the artifact`);
      }
      entries.push({ type: 'symlink', path: rel, linkTarget: target });
    } else if (st.isFile()) {
      entries.push({ type: 'file', path: rel, sourcePath: f.sourcePath, mode: st.mode, size: st.size });
    } else if (!st.isDirectory()) {
      throw bad(`${rel} is neither a file, a directory nor a symlink`);
    }
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
