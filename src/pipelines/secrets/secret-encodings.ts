/**
 * The forms of a secret value that the masker looks for. `plain` is the value
 * itself; the others are what a build gets from piping it through `base64`,
 * `xxd -p`, `jq`, `encodeURIComponent` and the like.
 *
 * `base64-at-N` / `base64url-at-N` are the characters of the base64 text that
 * depend only on the secret, when the secret starts N bytes (mod 3) into a
 * longer byte string (see {@link encodeSecret}).
 */
export const SECRET_ENCODINGS = [
  'plain',
  'json',
  'url',
  'url-form',
  'hex',
  'hex-upper',
  'base64',
  'base64url',
  'base64-at-0',
  'base64-at-1',
  'base64-at-2',
  'base64url-at-0',
  'base64url-at-1',
  'base64url-at-2',
] as const;

/** One of {@link SECRET_ENCODINGS}. */
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

/**
 * Secrets shorter than this are masked as they are only: their encodings are
 * a handful of characters that occur in ordinary text.
 */
export const MIN_ENCODED_SECRET_CHARS = 4;

/**
 * An encoded form shorter than this is not masked (a misaligned base64 middle
 * of a 4-character secret is 4 characters long: masking it would hide every
 * occurrence of those 4 characters in unrelated base64). The plain value is
 * always masked.
 */
export const MIN_ENCODED_PATTERN_CHARS = 6;

/**
 * The text of `value` in one encoding (of its UTF-8 bytes, for the binary
 * encodings).
 *
 * Why three base64 alignments: base64 turns each group of 3 bytes into 4
 * characters, and character i carries bits 6i..6i+5 of the byte string. When
 * the secret sits inside a longer string (`base64 <<< "user:$TOKEN"`), it
 * starts at some byte offset p, and only p mod 3 matters for how its bits fall
 * into characters. The first and last characters covering the secret also
 * carry bits of the neighbouring bytes, so they change with the text around
 * it; the characters in between depend on the secret alone. Encoding the
 * secret after 0, 1 and 2 zero bytes and keeping the characters whose 6 bits
 * all lie inside the secret gives exactly those stable middles, one per
 * alignment, whatever surrounds the secret.
 *
 * @example encodeSecret('hunter2', 'hex') // '68756e74657232'
 */
export function encodeSecret(value: string, encoding: SecretEncoding): string {
  switch (encoding) {
    case 'plain':
      return value;
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    case 'url':
      return encodeURIComponent(value);
    case 'url-form':
      return encodeURIComponent(value).replace(/%20/g, '+');
    case 'hex':
      return Buffer.from(value, 'utf8').toString('hex');
    case 'hex-upper':
      return Buffer.from(value, 'utf8').toString('hex').toUpperCase();
    case 'base64':
      return Buffer.from(value, 'utf8').toString('base64');
    case 'base64url':
      return Buffer.from(value, 'utf8').toString('base64url');
    case 'base64-at-0':
    case 'base64-at-1':
    case 'base64-at-2':
      return stableMiddle(value, Number(encoding.slice(-1)), 'base64');
    case 'base64url-at-0':
    case 'base64url-at-1':
    case 'base64url-at-2':
      return stableMiddle(value, Number(encoding.slice(-1)), 'base64url');
  }
}

function stableMiddle(value: string, offsetBytes: number, alphabet: 'base64' | 'base64url'): string {
  const bytes = Buffer.from(value, 'utf8');
  const text = Buffer.concat([Buffer.alloc(offsetBytes), bytes]).toString(alphabet);
  const firstBit = offsetBytes * 8;
  const endBit = firstBit + bytes.length * 8;
  return text.slice(Math.ceil(firstBit / 6), Math.floor(endBit / 6));
}

/** One text to mask, and where it came from. */
export interface SecretForm {
  readonly encoding: SecretEncoding;
  readonly text: string;
}

/**
 * Every form of `value` worth masking, without duplicates (the first encoding
 * producing a text wins, so `plain` comes first): the plain value always,
 * encoded forms only for values of at least {@link MIN_ENCODED_SECRET_CHARS}
 * characters and forms of at least {@link MIN_ENCODED_PATTERN_CHARS}.
 */
export function secretForms(value: string): SecretForm[] {
  if (value.length === 0) return [];
  const seen = new Set<string>();
  const out: SecretForm[] = [];
  for (const encoding of SECRET_ENCODINGS) {
    if (encoding !== 'plain' && value.length < MIN_ENCODED_SECRET_CHARS) break;
    const text = encodeSecret(value, encoding);
    if (seen.has(text) || (encoding !== 'plain' && text.length < MIN_ENCODED_PATTERN_CHARS)) continue;
    seen.add(text);
    out.push({ encoding, text });
  }
  return out;
}
