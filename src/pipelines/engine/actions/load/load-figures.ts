import { nearestRank } from '../../../../telemetry/index.js';

/** Latency percentiles of a load test, ms (nearest rank: each one is a measured request). */
export interface LatencyFigures {
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** What a load test measured: the figures stored with the run and checked against the thresholds. */
export interface LoadFigures {
  /** Requests that completed (answered, failed or timed out). */
  readonly requests: number;
  /** Requests that failed: an answer outside 200–399, a timeout or a connection error. */
  readonly errors: number;
  /** `errors / requests`, 0 when there were none. */
  readonly errorRate: number;
  /** Requests by answer status (`"200"`), or by what went wrong (`"timeout"`, `"connection"`). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Latency of every completed request, ms; undefined when none completed. */
  readonly latencyMs: LatencyFigures | undefined;
  /** How long the load ran, ms. */
  readonly durationMs: number;
  /** Completed requests per second over `durationMs`. */
  readonly ratePerSecond: number;
}

/** One request's outcome: its latency and its status (or what went wrong). */
export interface LoadSample {
  readonly latencyMs: number;
  readonly outcome: number | 'timeout' | 'connection';
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Whether an outcome counts as an error (as k6's `http_req_failed`: a status outside 200–399, or no answer). */
export function isFailure(outcome: LoadSample['outcome']): boolean {
  return typeof outcome !== 'number' || outcome < 200 || outcome > 399;
}

/** Sums samples into the figures of a load test. */
export function loadFigures(latencies: Float64Array, byStatus: Readonly<Record<string, number>>, durationMs: number): LoadFigures {
  const requests = latencies.length;
  const errors = Object.entries(byStatus).reduce((n, [status, count]) => n + (isFailure(/^\d+$/.test(status) ? Number(status) : 'connection') ? count : 0), 0);
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const at = (p: number): number => round(nearestRank(sorted, p) ?? 0);
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    byStatus: { ...byStatus },
    latencyMs: requests === 0 ? undefined : { min: round(sorted[0]!), mean: round(sum / requests), p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: round(sorted[requests - 1]!) },
    durationMs: Math.round(durationMs),
    ratePerSecond: durationMs <= 0 ? 0 : round((requests * 1000) / durationMs),
  };
}
