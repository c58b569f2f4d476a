/** Upper bounds (seconds) of the fixed `TargetResponseTime` buckets; +Inf is implicit. */
export const RESPONSE_TIME_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Exact percentiles of the samples of a recent window. */
export interface WindowPercentiles {
  /** Samples in the window. */
  readonly count: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
  readonly p99Seconds: number | null;
}

/**
 * A latency histogram: fixed cumulative-friendly buckets plus sum and count (the
 * Prometheus shape), and a ring of the last samples with their times so exact
 * percentiles over a recent window cost nothing on the request path.
 */
export class LatencyHistogram {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly bucketCounts = new Float64Array(RESPONSE_TIME_BUCKETS_SECONDS.length + 1);
  sumSeconds = 0;
  count = 0;
  readonly #samples: Float64Array;
  readonly #timesMs: Float64Array;
  #next = 0;

  /** @param ringSize number of recent samples kept for exact percentiles. */
  constructor(ringSize = 4096) {
    this.#samples = new Float64Array(ringSize);
    this.#timesMs = new Float64Array(ringSize).fill(-Infinity);
  }

  /** Records one observation taken at `nowMs`. */
  observe(seconds: number, nowMs: number): void {
    const bounds = RESPONSE_TIME_BUCKETS_SECONDS;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    (this.bucketCounts[i] as number)++;
    this.sumSeconds += seconds;
    this.count++;
    this.#samples[this.#next] = seconds;
    this.#timesMs[this.#next] = nowMs;
    this.#next = (this.#next + 1) % this.#samples.length;
  }

  /** Exact percentiles of the kept samples observed at or after `sinceMs` (nearest-rank). */
  percentiles(sinceMs: number): WindowPercentiles {
    const picked: number[] = [];
    for (let i = 0; i < this.#samples.length; i++) {
      if ((this.#timesMs[i] as number) >= sinceMs) picked.push(this.#samples[i] as number);
    }
    picked.sort((a, b) => a - b);
    const rank = (p: number): number | null => (picked.length === 0 ? null : (picked[Math.max(0, Math.ceil(p * picked.length) - 1)] as number));
    return { count: picked.length, p50Seconds: rank(0.5), p90Seconds: rank(0.9), p99Seconds: rank(0.99) };
  }
}
