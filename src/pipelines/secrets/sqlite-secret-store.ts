import crypto from 'node:crypto';
import { readOrCreateSecret, type Db, type Migration } from '../../core/index.js';
import { InputError, SlipwayError } from '../../shared/index.js';
import { MIN_ENCODED_SECRET_CHARS } from './secret-encodings.js';
import { SECRET_NAME_PATTERN, type ManagedSecretStore } from './secret-store.js';

/** The secrets table. */
export const secretMigrations: readonly Migration[] = [
  {
    id: 'pipelines-001-secrets',
    sql: `CREATE TABLE pipeline_secrets (
      name TEXT PRIMARY KEY,
      sealed BLOB NOT NULL,
      updated_ms INTEGER NOT NULL
    ) STRICT;`,
  },
  {
    // Every set is a new version; tasks are pinned to one, so the older ones stay readable (a rollback
    // runs the previous revision with the version it had). What was stored before becomes version 1.
    id: 'pipelines-secrets-002-versions',
    sql: `ALTER TABLE pipeline_secrets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE pipeline_secret_versions (
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      sealed BLOB NOT NULL,
      created_ms INTEGER NOT NULL,
      PRIMARY KEY (name, version)
    ) STRICT;
    INSERT INTO pipeline_secret_versions (name, version, sealed, created_ms) SELECT name, version, sealed, updated_ms FROM pipeline_secrets;`,
  },
];

// A new key cannot open what the old one sealed: rotating it means setting every secret again.
const KEY_ROTATION =
  'treat the secrets it encrypts as exposed: change them where they come from, delete this file, and set them again with `slipway secrets set` (values sealed with the old key do not decrypt with a new one)';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_VALUE_BYTES = 64 * 1024;

/** Options of {@link SqliteSecretStore}. */
export interface SqliteSecretStoreOptions {
  /** A database with {@link secretMigrations} applied. */
  readonly db: Db;
  /**
   * The data directory's `key` file (created with mode 0600 when missing; refused when
   * others could read it, or it is a link: see `readOrCreateSecret`).
   */
  readonly keyFile: string;
  /** Time source for `updated_ms`. @default Date.now */
  readonly nowMs?: () => number;
}

/** A version of a secret, as listings show it: never its value. */
export interface SecretVersionInfo {
  readonly name: string;
  /** 1 for the first value set, one more for each later set. */
  readonly version: number;
  /** When this version was set, ms since the epoch. */
  readonly updatedAtMs: number;
}

/**
 * Secrets encrypted at rest with AES-256-GCM. The key is derived (SHA-256) from
 * the data directory's `key` file; each value has its own random IV, and the
 * secret's name is authenticated data, so a sealed value copied to another
 * name does not decrypt. Values shorter than `MIN_ENCODED_SECRET_CHARS` are
 * refused: logs could not mask them without masking ordinary text.
 *
 * Each set is a new version (1, 2, …); every version stays readable until the
 * secret is removed, because a running revision is pinned to the version it
 * started with. Reads and writes are synchronous (SQLite), so a task's start
 * and a log line's masking never wait.
 */
export class SqliteSecretStore implements ManagedSecretStore {
  readonly #db: Db;
  readonly #key: Buffer;
  readonly #nowMs: () => number;

  constructor(options: SqliteSecretStoreOptions) {
    this.#db = options.db;
    this.#key = crypto.createHash('sha256').update(readOrCreateSecret(options.keyFile, { rotation: KEY_ROTATION })).digest();
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** {@inheritDoc ManagedSecretStore.set} */
  async set(name: string, value: string): Promise<void> {
    this.put(name, value);
  }

  /** Stores `value` as the next version of `name` and returns that version. */
  put(name: string, value: string): SecretVersionInfo {
    checkName(name);
    // A shorter value would have to be masked wherever those few characters occur in a log.
    if (value.length < MIN_ENCODED_SECRET_CHARS) {
      throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret ${name}: value is ${value.length} characters long; at least ${MIN_ENCODED_SECRET_CHARS} are needed for it to be masked in logs`);
    }
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret ${name}: value is larger than ${MAX_VALUE_BYTES} bytes`);
    }
    const sealed = this.#seal(name, value);
    const now = this.#nowMs();
    return this.#db.transaction(() => {
      const current = this.#db.prepare<[string], { version: number }>('SELECT version FROM pipeline_secrets WHERE name = ?').get(name);
      const version = (current?.version ?? 0) + 1;
      this.#db
        .prepare('INSERT INTO pipeline_secrets (name, sealed, updated_ms, version) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, updated_ms = excluded.updated_ms, version = excluded.version')
        .run(name, sealed, now, version);
      this.#db.prepare('INSERT INTO pipeline_secret_versions (name, version, sealed, created_ms) VALUES (?, ?, ?, ?)').run(name, version, sealed, now);
      return { name, version, updatedAtMs: now };
    })();
  }

  /** {@inheritDoc SecretStore.get} */
  async get(name: string): Promise<string | undefined> {
    const row = this.#db.prepare<[string], { sealed: Buffer }>('SELECT sealed FROM pipeline_secrets WHERE name = ?').get(name);
    return row === undefined ? undefined : this.#open(name, row.sealed);
  }

  /** The value of one version of a secret, or undefined when the secret or that version is gone. */
  readVersion(name: string, version: number): string | undefined {
    const row = this.#db.prepare<[string, number], { sealed: Buffer }>('SELECT sealed FROM pipeline_secret_versions WHERE name = ? AND version = ?').get(name, version);
    return row === undefined ? undefined : this.#open(name, row.sealed);
  }

  /** The current version of every secret, sorted by name; never values. */
  describe(): SecretVersionInfo[] {
    return this.#db
      .prepare<[], { name: string; version: number; updated_ms: number }>('SELECT name, version, updated_ms FROM pipeline_secrets ORDER BY name')
      .all()
      .map((r) => ({ name: r.name, version: r.version, updatedAtMs: r.updated_ms }));
  }

  /** The current version of one secret, or undefined when it is not set. */
  tryDescribe(name: string): SecretVersionInfo | undefined {
    const r = this.#db.prepare<[string], { version: number; updated_ms: number }>('SELECT version, updated_ms FROM pipeline_secrets WHERE name = ?').get(name);
    return r === undefined ? undefined : { name, version: r.version, updatedAtMs: r.updated_ms };
  }

  /** {@inheritDoc ManagedSecretStore.list} */
  async list(): Promise<string[]> {
    return this.describe().map((s) => s.name);
  }

  /** {@inheritDoc ManagedSecretStore.delete} Every version goes. */
  async delete(name: string): Promise<boolean> {
    return this.remove(name);
  }

  /** Deletes a secret and all its versions; returns whether it existed. */
  remove(name: string): boolean {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM pipeline_secret_versions WHERE name = ?').run(name);
      return this.#db.prepare('DELETE FROM pipeline_secrets WHERE name = ?').run(name).changes > 0;
    })();
  }

  #seal(name: string, value: string): Buffer {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(name));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  #open(name: string, sealed: Buffer): string {
    try {
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SlipwayError('SLW_ERR_PIPELINE_SECRET_UNREADABLE', `secret ${name} could not be decrypted (was the key file replaced?)`, { cause });
    }
  }
}

function checkName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret name ${JSON.stringify(name)} is invalid: use letters, digits and / _ + = . @ -, at most 512 characters`);
  }
}
