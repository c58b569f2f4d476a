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
  /**
   * `INCREMENTAL` lets a store give the pages of deleted rows back to the file system
   * (`PRAGMA incremental_vacuum`). It takes effect only for a database created with it: an
   * existing one keeps reusing its free pages without shrinking. @default 'NONE'
   */
  readonly autoVacuum?: 'NONE' | 'INCREMENTAL';
}

/**
 * Opens (creating if needed) a SQLite database in WAL mode and applies
 * migrations. Pass `':memory:'` for a throwaway database in tests.
 * A new database file is created with mode 0600 (SQLite would make it 0644), and
 * SQLite gives its `-wal` and `-shm` files the mode of the database file; an
 * existing database of the current user that others can read is tightened to 0600.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    restrictDatabaseFiles(file);
  }
  const db = new Database(file);
  // Before anything is written: a new file's header records it.
  if (options.autoVacuum !== undefined) db.pragma(`auto_vacuum = ${options.autoVacuum}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  // Readers and the one writer share the file across processes (CLI, control plane, tests).
  db.pragma('busy_timeout = 5000');
  migrate(db, options.migrations ?? []);
  return db;
}

// The databases hold the event log, secrets (encrypted), telemetry: nothing for other users.
function restrictDatabaseFiles(file: string): void {
  // 'a' creates without truncating; the mode applies only when the file is new.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const uid = process.getuid?.();
  if (uid === undefined) return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    let st: fs.Stats;
    try {
      st = fs.statSync(f);
    } catch {
      continue;
    }
    if (st.uid === uid && (st.mode & 0o077) !== 0) fs.chmodSync(f, st.mode & 0o700);
  }
}
