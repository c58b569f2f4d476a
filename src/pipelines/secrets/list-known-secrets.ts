import { MIN_ENCODED_SECRET_CHARS } from './secret-encodings.js';
import { jsonFields } from './secret-field.js';
import type { KnownSecret } from './secret-patterns.js';
import type { SecretStore } from './secret-store.js';

/**
 * Every value of a store that can list its secrets, with its reference: each
 * secret, and each top-level field of a JSON secret (what a buildspec's
 * `secret-id:json-key` could read). Values shorter than
 * `MIN_ENCODED_SECRET_CHARS` are left out, since masking them in every log
 * would hide ordinary words; a build still masks the short values it reads
 * itself. A store that cannot list gives none.
 */
export async function listKnownSecrets(store: SecretStore): Promise<KnownSecret[]> {
  const list = (store as { list?: () => Promise<string[]> }).list;
  if (typeof list !== 'function') return [];
  const out: KnownSecret[] = [];
  for (const name of await list.call(store)) {
    const value = await store.get(name);
    if (value === undefined) continue;
    if (value.length >= MIN_ENCODED_SECRET_CHARS) out.push({ value, ref: { name } });
    for (const [key, field] of jsonFields(value) ?? []) {
      if (field.length >= MIN_ENCODED_SECRET_CHARS) out.push({ value: field, ref: { name, key } });
    }
  }
  return out;
}
