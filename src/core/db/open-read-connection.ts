import Database from 'better-sqlite3';
import type { Db } from './open-database.js';

/**
 * Opens a second, read-only connection to the database file of `db`, for a long read that
 * yields to the event loop between rows. A paused better-sqlite3 iterator keeps its connection
 * busy, so such a read must not hold the connection everyone else writes through; in WAL mode
 * this one reads a consistent snapshot while the other keeps writing. Close it when done.
 *
 * @returns the connection, or `undefined` for an in-memory database (which has no file to share)
 */
export function openReadConnection(db: Db): Db | undefined {
  if (db.memory) return undefined;
  const reader = new Database(db.name, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return reader;
}
