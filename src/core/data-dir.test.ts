import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileMode, tempDir } from '../../test/support/temp-dir.js';
import { SlipwayError } from '../shared/index.js';
import { ensureDataDir, resolveDataDir } from './data-dir.js';

/** A directory owned by another user: made and chowned when we are root, else `/` (root's). */
function othersDirectory(parent: string): string {
  if (process.getuid?.() !== 0) return '/';
  const dir = path.join(parent, 'theirs');
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chownSync(dir, 4242, 4242);
  return dir;
}


describe('ensureDataDir', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('slipway-data-dir-');
  });
  afterEach(() => tmp.cleanup());

  it.each([
    { what: 'a missing directory', setup: (_p: string) => undefined, tightenedFromMode: undefined },
    { what: 'a directory of ours at 0700', setup: (p: string) => fs.mkdirSync(p, { mode: 0o700 }), tightenedFromMode: undefined },
    { what: 'a directory of ours at 0755', setup: (p: string) => fs.mkdirSync(p, { mode: 0o755 }), tightenedFromMode: 0o755 },
    { what: 'a directory of ours at 0777', setup: (p: string) => { fs.mkdirSync(p); fs.chmodSync(p, 0o777); }, tightenedFromMode: 0o777 },
  ])('uses $what at mode 0700', ({ setup, tightenedFromMode }) => {
    // GIVEN the data directory in some state
    const root = path.join(tmp.path, 'data');
    setup(root);
    // WHEN it is ensured
    const check = ensureDataDir(resolveDataDir(root));
    // THEN it is a 0700 directory, and a wider mode it had is reported
    expect(fileMode(root)).toBe(0o700);
    expect(check).toEqual(tightenedFromMode === undefined ? {} : { tightenedFromMode });
  });

  it.each([
    {
      what: 'a symbolic link to a directory of ours',
      setup: (root: string) => {
        const real = path.join(path.dirname(root), 'real');
        fs.mkdirSync(real, { mode: 0o700 });
        fs.symlinkSync(real, root);
        return `data directory ${root} is a symbolic link (to ${real}): slipway keeps its token, key and databases there and does not follow a link to them; pass the real directory (--data ${fs.realpathSync(real)}) or replace the link with a directory`;
      },
    },
    {
      what: 'a dangling symbolic link',
      setup: (root: string) => {
        fs.symlinkSync('/nowhere/slipway', root);
        return `data directory ${root} is a symbolic link (to /nowhere/slipway): slipway keeps its token, key and databases there and does not follow a link to them; pass the real directory (--data /nowhere/slipway) or replace the link with a directory`;
      },
    },
    {
      what: 'a regular file',
      setup: (root: string) => {
        fs.writeFileSync(root, '');
        return `data directory ${root} is not a directory: pass a directory (--data <dir>), or move the file away`;
      },
    },
  ])('refuses $what', ({ setup }) => {
    // GIVEN the data directory's name taken by something unsafe
    const root = path.join(tmp.path, 'data');
    const message = setup(root);
    // WHEN it is ensured THEN it is refused, with the fix
    expect(() => ensureDataDir(resolveDataDir(root))).toThrow(expect.objectContaining({ code: 'SLW_ERR_DATA_DIR_UNSAFE', message }));
  });

  it("refuses another user's directory and leaves it as it was", () => {
    // GIVEN a directory owned by someone else
    const theirs = othersDirectory(tmp.path);
    const before = fs.statSync(theirs);
    // WHEN it is ensured THEN it is refused, naming the owner
    let error: unknown;
    try {
      ensureDataDir(resolveDataDir(theirs));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error).toMatchObject({ code: 'SLW_ERR_DATA_DIR_UNSAFE', status: 403 });
    expect((error as Error).message).toContain(`is owned by uid ${before.uid}, not by you (uid ${process.getuid?.()})`);
    // AND its mode is untouched
    expect(fs.statSync(theirs).mode).toBe(before.mode);
  });
});
