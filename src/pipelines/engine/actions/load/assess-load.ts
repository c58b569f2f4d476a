import type { ResolvedLoadThresholds } from '../../../../shared/index.js';
import type { LoadFigures } from './load-figures.js';

/** One threshold checked: the limit, the measured value (null: nothing was measured) and whether it held. */
export interface ThresholdCheck {
  readonly threshold: keyof ResolvedLoadThresholds;
  readonly limit: number;
  readonly value: number | null;
  readonly ok: boolean;
}

/** The verdict of a load test: passed when every threshold held. */
export interface LoadVerdict {
  readonly passed: boolean;
  readonly checks: readonly ThresholdCheck[];
  /** One clause per breached threshold, naming it with the measured value and the limit. */
  readonly breaches: readonly string[];
}

const LABELS: Readonly<Record<keyof ResolvedLoadThresholds, string>> = {
  p50Ms: 'p50 latency',
  p90Ms: 'p90 latency',
  p95Ms: 'p95 latency',
  p99Ms: 'p99 latency',
  maxMs: 'max latency',
  errorRate: 'error rate',
  minRequests: 'requests',
};

/**
 * Checks the figures of a load test against its thresholds (a pure function). Latency limits are
 * upper bounds on the percentile, `errorRate` an upper bound on the share of failed requests,
 * `minRequests` a lower bound on completed ones; a latency limit with no request measured is breached.
 */
export function assessLoad(figures: LoadFigures, thresholds: ResolvedLoadThresholds): LoadVerdict {
  const checks: ThresholdCheck[] = [];
  const breaches: string[] = [];
  const latency = figures.latencyMs;
  const measured: Record<keyof ResolvedLoadThresholds, number | null> = {
    p50Ms: latency?.p50 ?? null,
    p90Ms: latency?.p90 ?? null,
    p95Ms: latency?.p95 ?? null,
    p99Ms: latency?.p99 ?? null,
    maxMs: latency?.max ?? null,
    errorRate: figures.requests === 0 ? null : figures.errorRate,
    minRequests: figures.requests,
  };
  for (const key of Object.keys(LABELS) as (keyof ResolvedLoadThresholds)[]) {
    const limit = thresholds[key];
    if (limit === undefined) continue;
    const value = measured[key];
    const ok = value !== null && (key === 'minRequests' ? value >= limit : value <= limit);
    checks.push({ threshold: key, limit, value, ok });
    if (ok) continue;
    if (value === null) breaches.push(`${LABELS[key]}: no request completed (threshold ${key} ${limit})`);
    else if (key === 'minRequests') breaches.push(`requests ${value} is below the threshold minRequests ${limit}`);
    else if (key === 'errorRate') breaches.push(`error rate ${value.toFixed(4)} is above the threshold errorRate ${limit}`);
    else breaches.push(`${LABELS[key]} ${value} ms is above the threshold ${key} ${limit} ms`);
  }
  return { passed: breaches.length === 0, checks, breaches };
}
