import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileMode, tempDir } from '../../../test/support/temp-dir.js';
import { openDatabase } from './open-database.js';


describe('openDatabase file modes', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('slipway-db-');
  });
  afterEach(() => tmp.cleanup());

  it('creates the database 0600, and SQLite gives its -wal and -shm files the same mode', () => {
    // GIVEN no database (and the usual umask 022, under which SQLite alone makes 0644)
    const file = path.join(tmp.path, 'slipway.db');
    // WHEN it is opened and written (which creates the WAL and shared-memory files)
    const db = openDatabase(file, { migrations: [{ id: 'table', sql: 'CREATE TABLE t (x INTEGER)' }] });
    db.prepare('INSERT INTO t VALUES (1)').run();
    // THEN all three are readable by their owner only
    expect([fileMode(file), fileMode(`${file}-wal`), fileMode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    db.close();
  });

  it('tightens an existing database of ours that others could read', () => {
    // GIVEN a database left at 0644 by an earlier version
    const file = path.join(tmp.path, 'slipway.db');
    openDatabase(file).close();
    fs.chmodSync(file, 0o644);
    // WHEN it is opened again THEN it is 0600 and still opens
    const db = openDatabase(file);
    expect(fileMode(file)).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
