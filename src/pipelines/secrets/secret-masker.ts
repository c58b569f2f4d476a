/** What a masked secret is replaced with. */
export const MASK = '***';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks secret values in a stream of text chunks. A secret may arrive split
 * across chunks, so the masker holds back the last `maxSecretLength - 1`
 * characters of what it has seen until the next chunk (or {@link flush})
 * shows whether they start a secret.
 *
 * @example
 * const m = new StreamMasker(['hunter2']);
 * m.push('pass: hun') + m.push('ter2\n') + m.flush(); // 'pass: ***\n'
 */
export class StreamMasker {
  readonly #pattern: RegExp | undefined;
  readonly #holdChars: number;
  #pending = '';

  /** @param secrets values to mask; empty strings are ignored. */
  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret that contains another is masked whole.
    const values = [...new Set([...secrets].filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
    this.#pattern = values.length === 0 ? undefined : new RegExp(values.map(escapeRegExp).join('|'), 'g');
    this.#holdChars = values.length === 0 ? 0 : (values[0]?.length ?? 1) - 1;
  }

  /** Adds a chunk; returns the text that is now safe to emit (possibly empty). */
  push(chunk: string): string {
    const text = this.#pending + chunk;
    if (this.#pattern === undefined) return text;
    // Every secret starting before `cut` ends inside `text`, so the regex sees it whole.
    let cut = Math.max(0, text.length - this.#holdChars);
    let out = '';
    let last = 0;
    this.#pattern.lastIndex = 0;
    for (let m = this.#pattern.exec(text); m !== null; m = this.#pattern.exec(text)) {
      if (m.index >= cut) break;
      out += text.slice(last, m.index) + MASK;
      last = m.index + m[0].length;
      if (last > cut) cut = last;
    }
    out += text.slice(last, cut);
    this.#pending = text.slice(cut);
    return out;
  }

  /** Ends the stream: returns the held-back text, masked. */
  flush(): string {
    const text = this.#pending;
    this.#pending = '';
    return this.#pattern === undefined ? text : text.replace(this.#pattern, MASK);
  }
}

/** Masks every secret in one complete string. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const m = new StreamMasker(secrets);
  return m.push(text) + m.flush();
}
