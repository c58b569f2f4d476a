import crypto from 'node:crypto';
import fs from 'node:fs';
import { NotAllowedError } from '../shared/index.js';

/** Options of {@link readOrCreateSecret}. */
export interface SecretFileOptions {
  /** Random bytes of a new secret (written as hex). @default 32 */
  readonly bytes?: number;
  /**
   * How to replace the secret when it may have leaked, for the refusal message.
   * @default 'delete it to have a new one made at the next start'
   */
  readonly rotation?: string;
}

const DEFAULT_ROTATION = 'delete it to have a new one made at the next start';

/** A file's permission bits as `chmod` writes them, e.g. `0644`. */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * Reads a secret file (the API token, the secret key, the router's token), creating
 * it with random bytes (hex) and mode 0600 when missing. Creation is exclusive, so
 * two starting processes agree on one value.
 *
 * An existing file is used only when it is a regular file (not a link, not a FIFO),
 * owned by the current user, not readable or writable by group or others, and not
 * empty. Otherwise this refuses rather than tightens: a secret that others could
 * read may already have been read, and only its owner can tell; the message names
 * the file, what is wrong and the fix (`chmod 600 <file>`, or rotation).
 * @throws NotAllowedError `SLW_ERR_SECRET_FILE_UNSAFE`
 */
export function readOrCreateSecret(file: string, options: SecretFileOptions = {}): string {
  const existing = readExisting(file, options.rotation ?? DEFAULT_ROTATION);
  if (existing !== undefined) return existing;
  const value = crypto.randomBytes(options.bytes ?? 32).toString('hex');
  try {
    // O_EXCL: never writes through a link planted at the name, never overwrites.
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Another process created it first: read theirs, with the same checks.
  const theirs = readExisting(file, options.rotation ?? DEFAULT_ROTATION);
  if (theirs === undefined) throw unsafe(file, 'appeared and disappeared while slipway started; start again');
  return theirs;
}

function readExisting(file: string, rotation: string): string | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW refuses a link; O_NONBLOCK keeps a FIFO from hanging the open. The checks
    // below run on the opened file itself, so it cannot be swapped after them.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw unsafe(file, `is a symbolic link (to ${linkTarget(file)}): slipway reads secrets only from a regular file of its own; replace the link with the file itself`);
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw unsafe(file, 'is not a regular file: slipway reads secrets only from a regular file of its own; remove it');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw unsafe(file, `is owned by uid ${st.uid}, not by you (uid ${uid}): its owner can read and replace it; ${rotation}`);
    }
    if (uid !== undefined && (st.mode & 0o077) !== 0) {
      throw unsafe(file, `has mode ${formatMode(st.mode)}, so others could read it and may have: run \`chmod 600 ${file}\` if nobody else could have, otherwise ${rotation}`);
    }
    const value = fs.readFileSync(fd, 'utf8').trim();
    if (value === '') throw unsafe(file, `is empty: ${rotation}`);
    return value;
  } finally {
    fs.closeSync(fd);
  }
}

function linkTarget(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return 'somewhere else';
  }
}

function unsafe(file: string, why: string): NotAllowedError {
  return new NotAllowedError('SLW_ERR_SECRET_FILE_UNSAFE', `${file} ${why}`);
}
