import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, type Migration } from './migrate.js';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Forward-only migrations to apply, in order. @default [] */
  readonly migrations?: readonly Migration[];
  /**
   * `FULL` makes every committed transaction survive power loss, not only a
   * crash of the process; the event log relies on it. @default 'FULL'
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) a SQLite database in WAL mode and applies
 * migrations. Pass `':memory:'` for a throwaway database in tests.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  // Readers and the one writer share the file across processes (CLI, control plane, tests).
  db.pragma('busy_timeout = 5000');
  migrate(db, options.migrations ?? []);
  return db;
}
