import { LINE_BREAK_WINDOW_FACTOR, type SecretPatterns } from './secret-patterns.js';

const LF = 10;
const CR = 13;

/** Called for each match: absolute start (inclusive), end (exclusive), and the pattern's index. */
export type OnMatch = (start: number, end: number, pattern: number) => void;

/**
 * Feeds text through the patterns' automaton, chunk after chunk, and reports
 * every match with its absolute position in the whole stream. `\n` and `\r`
 * are not fed to the automaton (patterns are compiled without them), so a
 * secret split across lines matches as if they were joined; the match then
 * spans the line breaks (from its first to its last character), and is
 * dropped when that span is wider than {@link LINE_BREAK_WINDOW_FACTOR} × its
 * length.
 */
export class MatchScanner {
  readonly #patterns: SecretPatterns;
  /** Absolute positions of the last `maxLength` characters fed, as a ring. */
  readonly #positions: Float64Array;
  readonly #lengths: Int32Array;
  #state = 0;
  #fed = 0;
  #total = 0;

  constructor(patterns: SecretPatterns) {
    this.#patterns = patterns;
    this.#positions = new Float64Array(Math.max(1, patterns.automaton.maxLength));
    this.#lengths = Int32Array.from(patterns.forms, (f) => f.matched.length);
  }

  /** Characters fed so far, line breaks included: the absolute position of the next one. */
  get total(): number {
    return this.#total;
  }

  /** Scans the next piece of the stream. */
  feed(text: string, onMatch: OnMatch): void {
    const automaton = this.#patterns.automaton;
    const ring = this.#positions;
    const size = ring.length;
    const lengths = this.#lengths;
    const at = this.#total;
    let state = this.#state;
    let fed = this.#fed;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === LF || code === CR) continue;
      const pos = at + i;
      ring[fed % size] = pos;
      fed++;
      state = automaton.step(state, code);
      const matches = automaton.matchesAt(state);
      if (matches === undefined) continue;
      for (const p of matches) {
        const length = lengths[p]!;
        const start = ring[(fed - length) % size]!;
        if (pos + 1 - start <= length * LINE_BREAK_WINDOW_FACTOR) onMatch(start, pos + 1, p);
      }
    }
    this.#state = state;
    this.#fed = fed;
    this.#total = at + text.length;
  }

  /**
   * The earliest absolute position a match found later could start at: within
   * the characters fed last that are a prefix of some pattern (the
   * automaton's depth, at most `maxLength − 1` of them), or at one not fed
   * yet; and no further back than the widest window. Everything before it is
   * final.
   */
  earliestFutureStart(): number {
    const keep = this.#patterns.automaton.depthOf(this.#state);
    const byCharacters = keep === 0 ? this.#total : this.#positions[(this.#fed - keep) % this.#positions.length]!;
    return Math.min(this.#total, Math.max(byCharacters, this.#total + 1 - this.#patterns.maxSpanChars));
  }
}
