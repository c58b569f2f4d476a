/** Above this many states the ASCII table (4 bytes × 128 per state, 16 MiB here) is not built. */
const MAX_ASCII_TABLE_STATES = 32_768;

/**
 * An Aho–Corasick automaton over literal patterns (UTF-16 code units): one
 * state transition per input character, whatever the patterns are, so a log
 * is scanned in linear time with no regex and no backtracking. `step` follows
 * failure links (amortised O(1) per character); `matchesAt` lists every
 * pattern ending at a state, overlapping ones included.
 *
 * @example
 * const a = new PatternAutomaton(['he', 'she']);
 * let s = 0;
 * for (const c of 'ushe') s = a.step(s, c.charCodeAt(0));
 * a.matchesAt(s); // [1, 0]: 'she' and 'he' end here
 */
export class PatternAutomaton {
  /** The patterns, by index. */
  readonly patterns: readonly string[];
  /** Length of the longest pattern (0 without patterns). */
  readonly maxLength: number;
  /** Transitions out of the root, dense: most characters of a log leave the automaton at the root. */
  readonly #root = new Int32Array(65_536);
  /** Other transitions, keyed by `state * 65536 + code unit`. */
  readonly #edges = new Map<number, number>();
  readonly #fail: Int32Array;
  /** Length of the text each state stands for: the longest pattern prefix that ends the input. */
  readonly #depth: Int32Array;
  readonly #outputs: (readonly number[] | undefined)[];
  /** Complete transitions for ASCII (failure links already followed), `state * 128 + code`; undefined when too large. */
  readonly #ascii: Int32Array | undefined;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    this.maxLength = patterns.reduce((m, p) => Math.max(m, p.length), 0);
    const own: number[][] = [[]];
    const depth: number[] = [0];
    let states = 1;
    patterns.forEach((pattern, index) => {
      if (pattern.length === 0) return;
      let s = 0;
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        let next = this.#goto(s, code);
        if (next === 0) {
          next = states++;
          own.push([]);
          depth.push(i + 1);
          if (s === 0) this.#root[code] = next;
          else this.#edges.set(s * 65_536 + code, next);
        }
        s = next;
      }
      own[s]!.push(index);
    });
    this.#fail = new Int32Array(states);
    this.#depth = Int32Array.from(depth);
    this.#outputs = new Array<readonly number[] | undefined>(states);
    const order = this.#link(own, states);
    this.#ascii = states <= MAX_ASCII_TABLE_STATES ? this.#asciiTable(order, states) : undefined;
  }

  /** The state after reading `code` in `state` (0 is the start state). */
  step(state: number, code: number): number {
    if (code < 128 && this.#ascii !== undefined) return this.#ascii[state * 128 + code]!;
    let s = state;
    for (;;) {
      const next = this.#goto(s, code);
      if (next !== 0 || s === 0) return next;
      s = this.#fail[s]!;
    }
  }

  /**
   * How many of the last characters read could still begin a match: any
   * pattern found later starts at most this far back.
   */
  depthOf(state: number): number {
    return this.#depth[state]!;
  }

  /** Indexes of the patterns that end when the automaton is in `state`; undefined for none. */
  matchesAt(state: number): readonly number[] | undefined {
    return this.#outputs[state];
  }

  #goto(state: number, code: number): number {
    return state === 0 ? this.#root[code]! : (this.#edges.get(state * 65_536 + code) ?? 0);
  }

  /** Failure links and merged outputs, breadth first (a state's failure target is shallower); returns the states in that order. */
  #link(own: readonly number[][], states: number): number[] {
    const children: [number, number][][] = Array.from({ length: states }, () => []);
    for (let code = 0; code < 65_536; code++) if (this.#root[code] !== 0) children[0]!.push([code, this.#root[code]!]);
    for (const [key, child] of this.#edges) children[Math.floor(key / 65_536)]!.push([key % 65_536, child]);
    const queue: number[] = [];
    for (const [, child] of children[0]!) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      const fromFail = this.#outputs[this.#fail[s]!];
      const mine = own[s]!;
      this.#outputs[s] = mine.length === 0 ? fromFail : fromFail === undefined ? mine : [...mine, ...fromFail];
      for (const [code, child] of children[s]!) {
        let f = this.#fail[s]!;
        while (f !== 0 && this.#goto(f, code) === 0) f = this.#fail[f]!;
        this.#fail[child] = this.#goto(f, code);
        queue.push(child);
      }
    }
    return queue;
  }

  /** Log text is mostly ASCII: one table lookup per character instead of walking failure links. */
  #asciiTable(order: readonly number[], states: number): Int32Array {
    const table = new Int32Array(states * 128);
    for (let code = 0; code < 128; code++) table[code] = this.#root[code]!;
    // Breadth first, so the failure target's row is complete before it is copied from.
    for (const s of order) {
      const failRow = this.#fail[s]! * 128;
      for (let code = 0; code < 128; code++) {
        const next = this.#edges.get(s * 65_536 + code);
        table[s * 128 + code] = next ?? table[failRow + code]!;
      }
    }
    return table;
  }
}
