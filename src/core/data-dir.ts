import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
    serverFile: path.join(root, 'server.json'),
    artifactsDir: path.join(root, 'artifacts'),
    workspacesDir: path.join(root, 'workspaces'),
    runDir: path.join(root, 'run'),
  };
}

/** Creates the data directory (mode 0700) if it does not exist. */
export function ensureDataDir(dir: DataDir): void {
  fs.mkdirSync(dir.root, { recursive: true, mode: 0o700 });
}

/**
 * Reads a secret file, creating it with `bytes` random bytes (hex) and mode 0600
 * when missing. Creation is exclusive, so two starting processes agree on one value.
 */
export function readOrCreateSecret(file: string, bytes = 32): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = crypto.randomBytes(bytes).toString('hex');
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
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
