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
});
