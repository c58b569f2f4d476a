import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileMode, tempDir } from '../../test/support/temp-dir.js';
import { exec } from './exec/index.js';
import { formatMode, readOrCreateSecret } from './secret-file.js';

const ROTATION = 'delete it to have a new one made at the next start';

describe('readOrCreateSecret', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    tmp = tempDir('slipway-secret-');
    file = path.join(tmp.path, 'key');
  });
  afterEach(() => tmp.cleanup());

  it('creates a missing secret 0600 and reads the same value back', () => {
    // GIVEN no file WHEN a secret is read twice THEN it was made once, 0600, 64 hex digits
    const first = readOrCreateSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(fileMode(file)).toBe(0o600);
    expect(readOrCreateSecret(file)).toBe(first);
  });

  it.each([0o400, 0o600, 0o700])('accepts an existing secret of ours at %o', (mode) => {
    // GIVEN a secret only its owner can read WHEN it is read THEN its value is used
    fs.writeFileSync(file, 'abc123\n', { mode });
    expect(readOrCreateSecret(file)).toBe('abc123');
  });

  it.each([0o640, 0o644, 0o604, 0o660, 0o666, 0o602])('refuses an existing secret at %o, with chmod 600 in the message, and leaves it as it was', (mode) => {
    // GIVEN a secret that group or others can read or write
    fs.writeFileSync(file, 'abc123\n');
    fs.chmodSync(file, mode);
    // WHEN it is read THEN it is refused, naming the file, its mode and the fix
    expect(() => readOrCreateSecret(file)).toThrow(
      expect.objectContaining({
        code: 'SLW_ERR_SECRET_FILE_UNSAFE',
        message: `${file} has mode ${formatMode(mode)}, so others could read it and may have: run \`chmod 600 ${file}\` if nobody else could have, otherwise ${ROTATION}`,
      }),
    );
    // AND it was not tightened behind the owner's back
    expect(fileMode(file)).toBe(mode);
  });

  it.each([
    {
      what: 'a symbolic link to a secret of ours',
      setup: (f: string) => {
        const real = path.join(path.dirname(f), 'real-key');
        fs.writeFileSync(real, 'abc123\n', { mode: 0o600 });
        fs.symlinkSync(real, f);
        return `${f} is a symbolic link (to ${real}): slipway reads secrets only from a regular file of its own; replace the link with the file itself`;
      },
    },
    {
      what: 'a dangling symbolic link (which O_EXCL creation must not write through)',
      setup: (f: string) => {
        fs.symlinkSync(path.join(path.dirname(f), 'planted'), f);
        return `${f} is a symbolic link (to ${path.join(path.dirname(f), 'planted')}): slipway reads secrets only from a regular file of its own; replace the link with the file itself`;
      },
    },
    {
      what: 'a directory',
      setup: (f: string) => {
        fs.mkdirSync(f, { mode: 0o700 });
        return `${f} is not a regular file: slipway reads secrets only from a regular file of its own; remove it`;
      },
    },
    {
      what: 'a FIFO (which must not hang the start)',
      setup: async (f: string) => {
        expect((await exec('mkfifo', ['-m', '600', f])).code).toBe(0);
        return `${f} is not a regular file: slipway reads secrets only from a regular file of its own; remove it`;
      },
    },
    {
      what: 'an empty file',
      setup: (f: string) => {
        fs.writeFileSync(f, '\n', { mode: 0o600 });
        return `${f} is empty: ${ROTATION}`;
      },
    },
  ])('refuses $what', async ({ setup }) => {
    // GIVEN the secret's name taken by something that is not our regular file
    const message = await setup(file);
    // WHEN it is read THEN it is refused with what is wrong and the fix
    expect(() => readOrCreateSecret(file)).toThrow(expect.objectContaining({ code: 'SLW_ERR_SECRET_FILE_UNSAFE', message }));
    // AND nothing was written where a link points
    expect(fs.existsSync(path.join(tmp.path, 'planted'))).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's secret file", () => {
    // GIVEN a 0600 secret owned by someone else (we are root: chown it)
    fs.writeFileSync(file, 'abc123\n', { mode: 0o600 });
    fs.chownSync(file, 4242, 4242);
    // WHEN it is read THEN it is refused, naming the owner
    expect(() => readOrCreateSecret(file, { rotation: 'rotate it' })).toThrow(
      expect.objectContaining({ code: 'SLW_ERR_SECRET_FILE_UNSAFE', message: `${file} is owned by uid 4242, not by you (uid 0): its owner can read and replace it; rotate it` }),
    );
  });
});
