import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/index.js';
import { SqliteSecretStore, secretMigrations } from './sqlite-secret-store.js';

describe('SqliteSecretStore', () => {
  it('encrypts at rest and supports set, get, list, delete', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const db = openDatabase(':memory:', { migrations: secretMigrations });
    const store = new SqliteSecretStore({ db, keyFile: path.join(dir, 'key') });
    await store.set('shop/api', 'v4lue-to-hide');
    await store.set('b', 'two-2');
    expect(await store.get('shop/api')).toBe('v4lue-to-hide');
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.list()).toEqual(['b', 'shop/api']);
    const raw = db.prepare<[], { sealed: Buffer }>("SELECT sealed FROM pipeline_secrets WHERE name = 'shop/api'").get();
    expect(raw?.sealed.toString('latin1')).not.toContain('v4lue');
    expect(fs.statSync(path.join(dir, 'key')).mode & 0o777).toBe(0o600);
    // A sealed value copied to another name does not decrypt (the name is authenticated).
    db.prepare("UPDATE pipeline_secrets SET sealed = (SELECT sealed FROM pipeline_secrets WHERE name = 'shop/api') WHERE name = 'b'").run();
    await expect(store.get('b')).rejects.toThrow('secret b could not be decrypted');
    expect(await store.delete('b')).toBe(true);
    expect(await store.delete('b')).toBe(false);
    await expect(store.set('bad name', 'x')).rejects.toThrow('secret name "bad name" is invalid');
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a value too short to be masked in logs', async () => {
    // GIVEN a store WHEN a 3-character value is set THEN it is refused with the code, the length and the minimum
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const db = openDatabase(':memory:', { migrations: secretMigrations });
    const store = new SqliteSecretStore({ db, keyFile: path.join(dir, 'key') });
    await expect(store.set('pin', 'abc')).rejects.toMatchObject({ code: 'SLW_ERR_PIPELINE_SECRET_INVALID', message: 'secret pin: value is 3 characters long; at least 4 are needed for it to be masked in logs' });
    expect(await store.list()).toEqual([]);
    await store.set('pin', 'abcd');
    expect(await store.get('pin')).toBe('abcd');
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('numbers each set as a new version and keeps the older ones readable until removed', async () => {
    // GIVEN a store with a clock WHEN a secret is set twice THEN versions 1 and 2 exist, the current one is 2
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const db = openDatabase(':memory:', { migrations: secretMigrations });
    let now = 1000;
    const store = new SqliteSecretStore({ db, keyFile: path.join(dir, 'key'), nowMs: () => now });
    expect(store.put('API_KEY', 'first-value')).toEqual({ name: 'API_KEY', version: 1, updatedAtMs: 1000 });
    now = 2000;
    expect(store.put('API_KEY', 'second-value')).toEqual({ name: 'API_KEY', version: 2, updatedAtMs: 2000 });
    store.put('OTHER', 'other-value');
    expect(await store.get('API_KEY')).toBe('second-value');
    expect(store.readVersion('API_KEY', 1)).toBe('first-value');
    expect(store.readVersion('API_KEY', 2)).toBe('second-value');
    expect(store.readVersion('API_KEY', 3)).toBeUndefined();
    expect(store.describe()).toEqual([
      { name: 'API_KEY', version: 2, updatedAtMs: 2000 },
      { name: 'OTHER', version: 1, updatedAtMs: 2000 },
    ]);
    expect(store.tryDescribe('API_KEY')).toEqual({ name: 'API_KEY', version: 2, updatedAtMs: 2000 });
    // AND no version's value is stored in clear
    const sealed = db.prepare<[], { sealed: Buffer }>('SELECT sealed FROM pipeline_secret_versions').all();
    expect(sealed).toHaveLength(3);
    for (const r of sealed) expect(r.sealed.toString('latin1')).not.toMatch(/first-value|second-value|other-value/);
    // WHEN it is removed THEN every version goes
    expect(store.remove('API_KEY')).toBe(true);
    expect(store.readVersion('API_KEY', 1)).toBeUndefined();
    expect(store.tryDescribe('API_KEY')).toBeUndefined();
    expect(db.prepare("SELECT COUNT(*) AS n FROM pipeline_secret_versions WHERE name = 'API_KEY'").get()).toEqual({ n: 0 });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates secrets stored before versions as version 1', async () => {
    // GIVEN a database with only the first migration and a secret stored as the first version did (one row, no version)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const file = path.join(dir, 'db.sqlite');
    const keyFile = path.join(dir, 'key');
    const scratch = openDatabase(':memory:', { migrations: secretMigrations });
    new SqliteSecretStore({ db: scratch, keyFile }).put('LEGACY', 'legacy-value');
    const sealed = scratch.prepare<[], { sealed: Buffer }>('SELECT sealed FROM pipeline_secrets').get()!.sealed;
    scratch.close();
    const old = openDatabase(file, { migrations: secretMigrations.slice(0, 1) });
    old.prepare('INSERT INTO pipeline_secrets (name, sealed, updated_ms) VALUES (?, ?, ?)').run('LEGACY', sealed, 5);
    old.close();
    // WHEN the versions migration runs THEN the secret is version 1, readable by version, and the next set is version 2
    const db = openDatabase(file, { migrations: secretMigrations });
    const store = new SqliteSecretStore({ db, keyFile, nowMs: () => 9 });
    expect(store.describe()).toEqual([{ name: 'LEGACY', version: 1, updatedAtMs: 5 }]);
    expect(store.readVersion('LEGACY', 1)).toBe('legacy-value');
    expect(store.put('LEGACY', 'newer-value').version).toBe(2);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
