import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { SlipwayError } from '../../../shared/index.js';
import { readTar } from './read-tar.js';

function unsafe(entry: string, why: string): SlipwayError {
  return new SlipwayError('SLW_ERR_ARTIFACT_UNSAFE_ENTRY', `archive entry ${JSON.stringify(entry)}: ${why}`);
}

/** Splits an archive path into safe segments, or throws: no absolute paths, no `..`, no backslashes or NULs. */
export function safeSegments(entryPath: string, what = entryPath): string[] {
  if (entryPath.startsWith('/') || /^[A-Za-z]:/.test(entryPath)) throw unsafe(what, 'absolute paths are not allowed');
  if (entryPath.includes('\\') || entryPath.includes('\0')) throw unsafe(what, 'backslashes and NUL bytes are not allowed');
  const segments = entryPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw unsafe(what, '".." is not allowed');
  return segments;
}

/** Makes the parent directories of `segments` under `root`, refusing to pass through a symlink or a file. */
function ensureParents(root: string, segments: readonly string[], entry: string): string {
  let dir = root;
  for (const seg of segments.slice(0, -1)) {
    dir = path.join(dir, seg);
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (st === undefined) fs.mkdirSync(dir, { mode: 0o755 });
    else if (st.isSymbolicLink()) throw unsafe(entry, 'it would be written through a symlink');
    else if (!st.isDirectory()) throw unsafe(entry, `${seg} is not a directory`);
  }
  return path.join(dir, segments[segments.length - 1] as string);
}

function removeExisting(target: string, entry: string): void {
  const st = fs.lstatSync(target, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (st.isDirectory()) throw unsafe(entry, 'a directory with this name was already extracted');
  fs.unlinkSync(target);
}

/**
 * Extracts a `.tar.gz` file into `dir` (created if missing). Refuses, before
 * writing it, any entry with an absolute path or `..`, a symlink whose target
 * leaves `dir`, a hardlink to anything but a file extracted earlier, any write
 * through a symlink, and devices or FIFOs. Modes keep only the execute bits.
 * Returns the number of entries extracted.
 */
export async function extractTarGz(archiveFile: string, dir: string): Promise<number> {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  const source = fs.createReadStream(archiveFile).pipe(zlib.createGunzip());
  let count = 0;
  try {
    for await (const e of readTar(source as Readable)) {
      const segments = safeSegments(e.path);
      if (segments.length === 0) continue;
      const rel = segments.join('/');
      const target = ensureParents(root, segments, e.path);
      if (e.type === 'directory') {
        const st = fs.lstatSync(target, { throwIfNoEntry: false });
        if (st?.isSymbolicLink()) throw unsafe(e.path, 'a symlink with this name was already extracted');
        if (st === undefined) fs.mkdirSync(target, { mode: 0o755 });
      } else if (e.type === 'symlink') {
        if (e.linkTarget === '' || path.posix.isAbsolute(e.linkTarget)) throw unsafe(e.path, `symlink target ${JSON.stringify(e.linkTarget)} is absolute or empty`);
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), e.linkTarget));
        if (resolved === '..' || resolved.startsWith('../')) throw unsafe(e.path, `symlink target ${JSON.stringify(e.linkTarget)} points outside the target directory`);
        removeExisting(target, e.path);
        fs.symlinkSync(e.linkTarget, target);
      } else if (e.type === 'hardlink') {
        const linkSegments = safeSegments(e.linkTarget, e.path);
        const source = path.join(root, ...linkSegments);
        // The source must be a regular file this extraction created, reached without symlinks.
        ensureParents(root, linkSegments, e.path);
        const st = fs.lstatSync(source, { throwIfNoEntry: false });
        if (!st?.isFile()) throw unsafe(e.path, `hardlink target ${JSON.stringify(e.linkTarget)} is not a file extracted earlier`);
        removeExisting(target, e.path);
        fs.linkSync(source, target);
      } else {
        removeExisting(target, e.path);
        const fd = fs.openSync(target, 'wx', e.mode & 0o111 ? 0o755 : 0o644);
        try {
          for await (const chunk of e.body()) fs.writeSync(fd, chunk);
        } finally {
          fs.closeSync(fd);
        }
      }
      count += 1;
    }
  } catch (err) {
    if (err instanceof SlipwayError) throw err;
    throw new SlipwayError('SLW_ERR_ARTIFACT_CORRUPT', `archive ${path.basename(archiveFile)}: ${(err as Error).message}`, { cause: err });
  } finally {
    source.destroy();
  }
  return count;
}
