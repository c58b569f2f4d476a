import { DDSketch } from '@datadog/sketches-js';
import { float64Blob, fromFloat64Blob } from './float64-blob.js';

/** Relative accuracy of a rolled-up percentile: a value within 1 % of the true sample's. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

// DDSketch's logarithmic mapping (value ↔ bucket key); the buckets themselves are kept here, so that
// a stored sketch is a flat float64 array that merges with additions instead of protobuf decoding.
const mapping = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY }).mapping;

/**
 * A mergeable percentile sketch of samples: DDSketch's buckets (each covers values within
 * {@link SKETCH_RELATIVE_ACCURACY} of its representative value) for positive and negative values,
 * and a count of zeros. Stored as float64 BLOBs by {@link SampleSketch.encode}.
 */
export class SampleSketch {
  readonly #positive = new Map<number, number>();
  readonly #negative = new Map<number, number>();
  #zeros = 0;
  /** Samples added. */
  count = 0;

  /** Adds one sample. */
  add(value: number): void {
    this.count++;
    if (value > mapping.minPossible) bump(this.#positive, mapping.key(value), 1);
    else if (value < -mapping.minPossible) bump(this.#negative, mapping.key(-value), 1);
    else this.#zeros++;
  }

  /** Adds a sketch stored by {@link SampleSketch.encode}. */
  merge(blob: Uint8Array): void {
    const a = fromFloat64Blob(blob);
    this.#zeros += a[0] ?? 0;
    this.count += a[0] ?? 0;
    const next = readStore(a, 1, this.#positive, (n) => (this.count += n));
    readStore(a, next, this.#negative, (n) => (this.count += n));
  }

  /**
   * The sample at a nearest rank (1-based: the smallest value with at least `rank` samples at or
   * below it), within the sketch's relative accuracy; `undefined` when empty.
   */
  valueAtRank(rank: number): number | undefined {
    if (this.count === 0) return undefined;
    let seen = 0;
    // Negative values, most negative first: the largest keys of the negative store.
    for (const k of [...this.#negative.keys()].sort((x, y) => y - x)) {
      seen += this.#negative.get(k) ?? 0;
      if (seen >= rank) return -mapping.value(k);
    }
    seen += this.#zeros;
    if (seen >= rank) return 0;
    let last = 0;
    for (const k of [...this.#positive.keys()].sort((x, y) => x - y)) {
      seen += this.#positive.get(k) ?? 0;
      last = mapping.value(k);
      if (seen >= rank) return last;
    }
    return last;
  }

  /** The sketch as a float64 BLOB: `[zeros, positive bins…, negative bins…]`, each store as `[firstKey, length, counts…]`. */
  encode(): Buffer {
    const out: number[] = [this.#zeros];
    writeStore(this.#positive, out);
    writeStore(this.#negative, out);
    return float64Blob(out);
  }
}

function bump(m: Map<number, number>, key: number, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

function writeStore(m: ReadonlyMap<number, number>, out: number[]): void {
  if (m.size === 0) {
    out.push(0, 0);
    return;
  }
  const keys = [...m.keys()];
  const first = Math.min(...keys);
  const length = Math.max(...keys) - first + 1;
  out.push(first, length);
  for (let i = 0; i < length; i++) out.push(m.get(first + i) ?? 0);
}

function readStore(a: Float64Array, at: number, into: Map<number, number>, counted: (n: number) => void): number {
  const first = a[at] ?? 0;
  const length = a[at + 1] ?? 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    const c = a[at + 2 + i] ?? 0;
    if (c === 0) continue;
    bump(into, first + i, c);
    total += c;
  }
  counted(total);
  return at + 2 + length;
}
