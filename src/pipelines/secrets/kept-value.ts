import { MatchScanner } from './match-scanner.js';
import { encodeSecret, type SecretEncoding } from './secret-encodings.js';
import { secretField } from './secret-field.js';
import { MASK, maskSecrets } from './secret-masker.js';
import type { SecretPatterns } from './secret-patterns.js';
import type { SecretStore } from './secret-store.js';

/** A piece of a kept value that is a reference into the secret store, in one encoding. */
export interface SecretPart {
  /** The secret's name in the store. */
  readonly secretRef: string;
  /** The JSON key, when the value is one field of a JSON secret. @default the whole secret */
  readonly key?: string;
  readonly encoding: SecretEncoding;
}

/**
 * A value that held secrets, kept as literal text and references, e.g.
 * `{ parts: ['postgres://app:', { secretRef: 'db/pass', encoding: 'url' }, '@db/shop'] }`.
 */
export interface SecretTemplate {
  readonly parts: readonly (string | SecretPart)[];
}

/**
 * A value that held a secret in a form the store cannot rebuild (a secret the
 * store does not name, or split across lines): only its masked text is kept,
 * and the value is gone.
 */
export interface MaskedValue {
  readonly masked: string;
}

/** A value as slipway keeps it outside the secret store: plain text, or with its secrets as references. */
export type KeptValue = string | SecretTemplate | MaskedValue;

/** Whether a kept value held a secret. */
export function holdsSecret(value: KeptValue): value is SecretTemplate | MaskedValue {
  return typeof value !== 'string';
}

/**
 * How to keep `value` without keeping a secret: unchanged when no form of a
 * secret occurs in it; else a template whose literal parts hold no part of a
 * secret and whose references rebuild the value exactly; else (a secret
 * without a reference, overlapping secrets, a secret split by a line break)
 * only the masked text.
 */
export function keepValue(value: string, patterns: SecretPatterns): KeptValue {
  if (patterns.isEmpty) return value;
  const matches: { start: number; end: number; pattern: number }[] = [];
  new MatchScanner(patterns).feed(value, (start, end, pattern) => matches.push({ start, end, pattern }));
  if (matches.length === 0) return value;
  // Leftmost first, longest first among those starting together.
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: (string | SecretPart)[] = [];
  let pos = 0;
  let exact = true;
  for (const m of matches) {
    // A form inside the one just taken (base64's stable middle inside the whole base64) adds nothing.
    if (m.end <= pos) continue;
    // Two secrets overlapping: the value cannot be split into literal text and whole secrets.
    if (m.start < pos) {
      exact = false;
      break;
    }
    const form = patterns.forms[m.pattern]!;
    if (form.secret.ref === undefined || value.slice(m.start, m.end) !== form.text) {
      exact = false;
      break;
    }
    if (m.start > pos) parts.push(value.slice(pos, m.start));
    parts.push({ secretRef: form.secret.ref.name, ...(form.secret.ref.key === undefined ? {} : { key: form.secret.ref.key }), encoding: form.encoding });
    pos = m.end;
  }
  if (!exact) return { masked: maskSecrets(value, patterns) };
  if (pos < value.length) parts.push(value.slice(pos));
  return { parts };
}

/** What a kept value shows: its text with every secret as `***`. */
export function displayValue(value: KeptValue): string {
  if (typeof value === 'string') return value;
  if ('masked' in value) return value.masked;
  return value.parts.map((p) => (typeof p === 'string' ? p : MASK)).join('');
}

/** The outcome of {@link revealValue}. */
export type Revealed = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/** Rebuilds a kept value from the secret store as it is now. */
export async function revealValue(value: KeptValue, store: SecretStore): Promise<Revealed> {
  if (typeof value === 'string') return { ok: true, value };
  if ('masked' in value) return { ok: false, reason: 'it held a secret in a form that is not kept (only its masked text is)' };
  let out = '';
  for (const part of value.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const secret = await store.get(part.secretRef);
    if (secret === undefined) return { ok: false, reason: `secret ${part.secretRef} is no longer in the secret store` };
    const field = part.key === undefined ? secret : secretField(secret, part.key);
    if (field === undefined) return { ok: false, reason: `secret ${part.secretRef} has no key ${part.key ?? ''} any more` };
    out += encodeSecret(field, part.encoding);
  }
  return { ok: true, value: out };
}
