import { MatchScanner } from './match-scanner.js';
import { SecretPatterns, type SecretInput } from './secret-patterns.js';

/** What a masked secret is replaced with. */
export const MASK = '***';

/** Compiles secrets once, or passes already compiled ones through. */
export function compileSecrets(secrets: Iterable<SecretInput> | SecretPatterns): SecretPatterns {
  return secrets instanceof SecretPatterns ? secrets : new SecretPatterns(secrets);
}

/**
 * Masks secrets — every form `secretForms` lists: the value, its base64
 * (three alignments), base64url, URL, JSON and hex forms — in a stream of text
 * chunks. Line breaks are skipped while matching, so a secret split across
 * lines (or printed one character per line) is masked too; the line breaks
 * stay, each masked piece of a line becomes one `***`.
 *
 * A secret may arrive split across chunks, so the masker holds back what a
 * later match could still cover: the last characters that begin some
 * pattern (at most `longest pattern − 1` of them, line breaks between them
 * not counted), never more than the widest match window; text that cannot
 * begin a secret is emitted at once. The output depends only on the whole
 * text, not on where chunks were cut. Matching is one pass of an
 * Aho–Corasick automaton: linear in the text, whatever the secrets contain.
 *
 * @example
 * const m = new StreamMasker(['hunter2']);
 * m.push('pass: hun') + m.push('ter2\n') + m.flush(); // 'pass: ***\n'
 */
export class StreamMasker {
  readonly #scanner: MatchScanner | undefined;
  /** Covered ranges not yet emitted, absolute [start, end), sorted and disjoint. */
  readonly #covered: [number, number][] = [];
  #pending = '';
  /** Absolute position of `#pending[0]`. */
  #base = 0;
  /** The last character emitted was masked (so the next masked one continues the same `***`). */
  #inMask = false;

  /** @param secrets values to mask (empty ones are ignored), or patterns compiled once for many maskers. */
  constructor(secrets: Iterable<SecretInput> | SecretPatterns) {
    const patterns = compileSecrets(secrets);
    this.#scanner = patterns.isEmpty ? undefined : new MatchScanner(patterns);
  }

  /** Adds a chunk; returns the text that is now safe to emit (possibly empty). */
  push(chunk: string): string {
    if (this.#scanner === undefined) return chunk;
    this.#pending += chunk;
    this.#scanner.feed(chunk, (start, end) => this.#cover(start, end));
    return this.#emit(this.#scanner.earliestFutureStart());
  }

  /** Ends the stream: returns the held-back text, masked. */
  flush(): string {
    if (this.#scanner === undefined) return '';
    return this.#emit(this.#scanner.total);
  }

  #cover(start: number, end: number): void {
    // Matches arrive by end position, so only the last ranges can overlap the new one.
    let s = start;
    while (this.#covered.length > 0) {
      const last = this.#covered[this.#covered.length - 1]!;
      if (last[1] < s) break;
      s = Math.min(s, last[0]);
      this.#covered.pop();
    }
    this.#covered.push([s, end]);
  }

  /** Emits everything before `cut`: no later match can start there. */
  #emit(cut: number): string {
    let out = '';
    let pos = this.#base;
    let i = 0;
    while (pos < cut) {
      const range = this.#covered[i];
      if (range === undefined || range[0] >= cut) {
        out += this.#plain(pos, cut);
        pos = cut;
        break;
      }
      if (range[0] > pos) {
        out += this.#plain(pos, range[0]);
        pos = range[0];
      }
      const end = Math.min(range[1], cut);
      out += this.#masked(pos, end);
      pos = end;
      if (range[1] <= cut) i++;
      else range[0] = cut;
    }
    if (i > 0) this.#covered.splice(0, i);
    this.#pending = this.#pending.slice(cut - this.#base);
    this.#base = cut;
    return out;
  }

  #plain(from: number, to: number): string {
    if (to > from) this.#inMask = false;
    return this.#pending.slice(from - this.#base, to - this.#base);
  }

  #masked(from: number, to: number): string {
    let out = '';
    for (let p = from; p < to; p++) {
      const c = this.#pending[p - this.#base]!;
      if (c === '\n' || c === '\r') {
        out += c;
        this.#inMask = false;
      } else if (!this.#inMask) {
        out += MASK;
        this.#inMask = true;
      }
    }
    return out;
  }
}

/** Masks every secret in one complete string. */
export function maskSecrets(text: string, secrets: Iterable<SecretInput> | SecretPatterns): string {
  const patterns = compileSecrets(secrets);
  if (!patterns.occursIn(text)) return text;
  const m = new StreamMasker(patterns);
  return m.push(text) + m.flush();
}

/** Masks every string inside a JSON-like value (objects and arrays walked; keys kept). */
export function maskDeep<T>(value: T, secrets: SecretPatterns): T {
  if (secrets.isEmpty) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
