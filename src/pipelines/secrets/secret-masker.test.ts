import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/index.js';
import { MaskedLineSplitter } from './line-splitter.js';
import { StreamMasker, maskSecrets } from './secret-masker.js';
import { SqliteSecretStore, secretMigrations } from './sqlite-secret-store.js';

function chunked(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

describe('StreamMasker', () => {
  const cases: { name: string; secrets: string[]; chunks: string[]; expected: string }[] = [
    { name: 'whole secret in one chunk', secrets: ['hunter2'], chunks: ['pw=hunter2!'], expected: 'pw=***!' },
    { name: 'secret split across chunks', secrets: ['hunter2'], chunks: ['pw=hun', 'te', 'r2!'], expected: 'pw=***!' },
    { name: 'longer secret containing a shorter one', secrets: ['abc', 'abcdef'], chunks: ['xabcdefx abc'], expected: 'x***x ***' },
    { name: 'prefix of a secret that is not one', secrets: ['hunter2'], chunks: ['hunt', 'er3'], expected: 'hunter3' },
    { name: 'no secrets', secrets: [''], chunks: ['a', 'b'], expected: 'ab' },
  ];
  it.each(cases)('$name', ({ secrets, chunks, expected }) => {
    // GIVEN secrets WHEN chunks stream through THEN the output is masked exactly
    const m = new StreamMasker(secrets);
    expect(chunks.map((c) => m.push(c)).join('') + m.flush()).toBe(expected);
  });

  it('property: no secret survives any chunking, and text without secrets is unchanged', () => {
    const secretArb = fc.stringMatching(/^[A-Za-z0-9]{4,24}$/);
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(fc.stringMatching(/^[ a-z\n=:]{0,12}$/), fc.nat(3)), { maxLength: 12 }),
        fc.array(fc.nat(400), { maxLength: 20 }),
        (secrets, parts, cuts) => {
          const text = parts.map((p) => (typeof p === 'number' ? (secrets[p % secrets.length] as string) : p)).join('');
          const lines: string[] = [];
          const splitter = new MaskedLineSplitter({ secrets, onLine: (l) => lines.push(l) });
          for (const c of chunked(text, cuts)) splitter.write(Buffer.from(c));
          splitter.end();
          const out = lines.join('\n');
          for (const s of secrets) expect(out).not.toContain(s);
          expect(out).toBe(maskSecrets(text, secrets).replace(/\n$/, ''));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('SqliteSecretStore', () => {
  it('encrypts at rest and supports set, get, list, delete', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-secrets-'));
    const db = openDatabase(':memory:', { migrations: secretMigrations });
    const store = new SqliteSecretStore({ db, keyFile: path.join(dir, 'key') });
    await store.set('shop/api', 'v4lue-to-hide');
    await store.set('b', 'two');
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
});
