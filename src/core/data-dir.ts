import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NotAllowedError } from '../shared/index.js';

/** The default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.slipway';

/** Paths of everything slipway keeps under its data directory. */
export interface DataDir {
  readonly root: string;
  /** The SQLite database (WAL). */
  readonly dbFile: string;
  /** The API token, mode 0600. */
  readonly tokenFile: string;
  /** The secret-encryption key, mode 0600. */
  readonly keyFile: string;
  /** The telemetry ingest key: the app's own key and the secret service and browser keys derive from, mode 0600. */
  readonly ingestKeyFile: string;
  /** The secret the tasks' read-only flag tokens (`SLIPWAY_FLAGS_TOKEN`) are signed with, mode 0600. */
  readonly flagsKeyFile: string;
  /** Where `slipway up` records its addresses for client verbs. */
  readonly serverFile: string;
  readonly artifactsDir: string;
  readonly workspacesDir: string;
  readonly runDir: string;
}

/** Resolves the data directory's layout (creates nothing). */
export function resolveDataDir(dir: string = DEFAULT_DATA_DIR): DataDir {
  const root = path.resolve(dir);
  return {
    root,
    dbFile: path.join(root, 'slipway.db'),
    tokenFile: path.join(root, 'token'),
    keyFile: path.join(root, 'key'),
    ingestKeyFile: path.join(root, 'ingest-key'),
    flagsKeyFile: path.join(root, 'flags-key'),
    serverFile: path.join(root, 'server.json'),
    artifactsDir: path.join(root, 'artifacts'),
    workspacesDir: path.join(root, 'workspaces'),
    runDir: path.join(root, 'run'),
  };
}

/** What {@link ensureDataDir} found. */
export interface DataDirCheck {
  /** The mode the directory had when it was wider than 0700 and has been tightened; absent otherwise. */
  readonly tightenedFromMode?: number;
}

/**
 * Creates the data directory (mode 0700) if it does not exist, and makes sure an
 * existing one is safe to keep the token, the key and the databases in: the
 * databases are not secret files themselves (SQLite's own modes) and rely on it.
 *
 * - a directory of the current user with a wider mode is tightened to 0700
 *   (it is ours, and nothing in it was meant to be shared);
 * - a symbolic link is refused, wherever it points: whoever could place the link
 *   chose where the secrets go. Pass the real directory instead;
 * - something that is not a directory, or a directory owned by another user, is refused.
 * @throws NotAllowedError `SLW_ERR_DATA_DIR_UNSAFE`, naming the directory and the fix.
 */
export function ensureDataDir(dir: DataDir): DataDirCheck {
  const root = dir.root;
  if (lstatOrUndefined(root) === undefined) fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  // Checked after creating too: a directory that appeared in between is judged like any other.
  const st = fs.lstatSync(root);
  if (st.isSymbolicLink()) {
    throw unsafeDir(root, `is a symbolic link (to ${fs.readlinkSync(root)}): slipway keeps its token, key and databases there and does not follow a link to them; pass the real directory (--data ${realpathOrTarget(root)}) or replace the link with a directory`);
  }
  if (!st.isDirectory()) throw unsafeDir(root, 'is not a directory: pass a directory (--data <dir>), or move the file away');
  const uid = process.getuid?.();
  if (uid === undefined) return {};
  if (st.uid !== uid) {
    throw unsafeDir(root, `is owned by uid ${st.uid}, not by you (uid ${uid}): its owner could read the token and key and replace the databases; use a directory of your own (--data <dir>)`);
  }
  if ((st.mode & 0o077) === 0) return {};
  fs.chmodSync(root, 0o700);
  return { tightenedFromMode: st.mode & 0o777 };
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function realpathOrTarget(link: string): string {
  try {
    return fs.realpathSync(link);
  } catch {
    return path.resolve(path.dirname(link), fs.readlinkSync(link));
  }
}

function unsafeDir(root: string, why: string): NotAllowedError {
  return new NotAllowedError('SLW_ERR_DATA_DIR_UNSAFE', `data directory ${root} ${why}`);
}

/** Compares two secrets in time independent of where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** Writes a file atomically (write to a temporary name, then rename). */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
