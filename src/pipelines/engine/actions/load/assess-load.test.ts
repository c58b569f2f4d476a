import { describe, expect, it } from 'vitest';
import type { ResolvedLoadThresholds } from '../../../../shared/index.js';
import { assessLoad } from './assess-load.js';
import { loadFigures, type LoadFigures } from './load-figures.js';

const none: ResolvedLoadThresholds = { p50Ms: undefined, p90Ms: undefined, p95Ms: undefined, p99Ms: undefined, maxMs: undefined, errorRate: undefined, minRequests: undefined };

/** 100 requests of 1..100 ms, `errors` of them answered 503. */
function figures(errors = 0): LoadFigures {
  const latencies = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  return loadFigures(latencies, { '200': 100 - errors, ...(errors > 0 ? { '503': errors } : {}) }, 1000);
}

describe('loadFigures', () => {
  it('takes nearest-rank percentiles, counts non-2xx/3xx and failures as errors, and the rate over the duration', () => {
    // GIVEN 100 latencies 1..100 ms, 2 answered 503, one timed out, one 302 WHEN summed
    const f = loadFigures(Float64Array.from({ length: 100 }, (_, i) => 100 - i), { '200': 96, '302': 1, '503': 2, timeout: 1 }, 2000);
    // THEN each percentile is a measured value, errors are the 503s and the timeout, and 100 requests in 2 s is 50/s
    expect(f.latencyMs).toEqual({ min: 1, mean: 50.5, p50: 50, p90: 90, p95: 95, p99: 99, max: 100 });
    expect(f).toMatchObject({ requests: 100, errors: 3, errorRate: 0.03, ratePerSecond: 50, durationMs: 2000 });
  });

  it('has no latency and no error rate for no requests', () => {
    expect(loadFigures(new Float64Array(0), {}, 1000)).toMatchObject({ requests: 0, errors: 0, errorRate: 0, latencyMs: undefined, ratePerSecond: 0 });
  });
});

describe('assessLoad', () => {
  const cases: { name: string; thresholds: Partial<ResolvedLoadThresholds>; errors?: number; passed: boolean; breaches: string[] }[] = [
    { name: 'p99 under its limit passes', thresholds: { p99Ms: 99 }, passed: true, breaches: [] },
    { name: 'p99 over its limit fails, naming the value and the limit', thresholds: { p99Ms: 98.5 }, passed: false, breaches: ['p99 latency 99 ms is above the threshold p99Ms 98.5 ms'] },
    { name: 'each breached threshold is named', thresholds: { p50Ms: 10, p95Ms: 200, maxMs: 50 }, passed: false, breaches: ['p50 latency 50 ms is above the threshold p50Ms 10 ms', 'max latency 100 ms is above the threshold maxMs 50 ms'] },
    { name: 'an error rate over its limit fails', thresholds: { errorRate: 0.01 }, errors: 2, passed: false, breaches: ['error rate 0.0200 is above the threshold errorRate 0.01'] },
    { name: 'an error rate at its limit passes', thresholds: { errorRate: 0.02 }, errors: 2, passed: true, breaches: [] },
    { name: 'too few requests fail', thresholds: { minRequests: 101 }, passed: false, breaches: ['requests 100 is below the threshold minRequests 101'] },
  ];
  it.each(cases)('$name', ({ thresholds, errors, passed, breaches }) => {
    // GIVEN the figures of 100 requests WHEN checked against the thresholds THEN the verdict and each breach
    const verdict = assessLoad(figures(errors), { ...none, ...thresholds });
    expect(verdict.passed).toBe(passed);
    expect(verdict.breaches).toEqual(breaches);
    expect(verdict.checks.map((c) => c.threshold)).toEqual(Object.keys(thresholds).sort((a, b) => Object.keys(none).indexOf(a) - Object.keys(none).indexOf(b)));
  });

  it('fails a latency threshold when no request completed', () => {
    const verdict = assessLoad(loadFigures(new Float64Array(0), {}, 1000), { ...none, p99Ms: 100, errorRate: 0.5 });
    expect(verdict.breaches).toEqual(['p99 latency: no request completed (threshold p99Ms 100)', 'error rate: no request completed (threshold errorRate 0.5)']);
  });
});
