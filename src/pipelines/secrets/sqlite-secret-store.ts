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

/**
 * Secrets encrypted at rest with AES-256-GCM. The key is derived (SHA-256) from
 * the data directory's `key` file; each value has its own random IV, and the
 * secret's name is authenticated data, so a sealed value copied to another
 * name does not decrypt. Values shorter than `MIN_ENCODED_SECRET_CHARS` are
 * refused: logs could not mask them without masking ordinary text.
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
    checkName(name);
    // A shorter value would have to be masked wherever those few characters occur in a log.
    if (value.length < MIN_ENCODED_SECRET_CHARS) {
      throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret ${name}: value is ${value.length} characters long; at least ${MIN_ENCODED_SECRET_CHARS} are needed for it to be masked in logs`);
    }
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret ${name}: value is larger than ${MAX_VALUE_BYTES} bytes`);
    }
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(name));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]);
    this.#db
      .prepare('INSERT INTO pipeline_secrets (name, sealed, updated_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, updated_ms = excluded.updated_ms')
      .run(name, sealed, this.#nowMs());
  }

  /** {@inheritDoc SecretStore.get} */
  async get(name: string): Promise<string | undefined> {
    const row = this.#db.prepare<[string], { sealed: Buffer }>('SELECT sealed FROM pipeline_secrets WHERE name = ?').get(name);
    if (row === undefined) return undefined;
    try {
      const iv = row.sealed.subarray(0, IV_BYTES);
      const tag = row.sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(row.sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return plain.toString('utf8');
    } catch (cause) {
      throw new SlipwayError('SLW_ERR_PIPELINE_SECRET_UNREADABLE', `secret ${name} could not be decrypted (was the key file replaced?)`, { cause });
    }
  }

  /** {@inheritDoc ManagedSecretStore.list} */
  async list(): Promise<string[]> {
    return this.#db.prepare<[], { name: string }>('SELECT name FROM pipeline_secrets ORDER BY name').all().map((r) => r.name);
  }

  /** {@inheritDoc ManagedSecretStore.delete} */
  async delete(name: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM pipeline_secrets WHERE name = ?').run(name).changes > 0;
  }
}

function checkName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secret name ${JSON.stringify(name)} is invalid: use letters, digits and / _ + = . @ -, at most 512 characters`);
  }
}
