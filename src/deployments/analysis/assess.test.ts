import { describe, expect, it } from 'vitest';
import type { AnalysisConfig, Measurements, RevisionMeasurement } from '../model.js';
import { analysisOutcome, assess, type AnalysisOutcome } from './assess.js';

const config: AnalysisConfig = {
  maxErrorRatePercent: 5,
  maxErrorRateIncreasePercent: undefined,
  maxLatencyP99Ms: 500,
  maxLatencyP99Ratio: undefined,
  minRequestCount: 20,
  failureLimit: 0,
  inconclusiveLimit: 0,
};
const rev = (requestCount: number, target5xxCount = 0, p99Ms: number | null = 20, elb5xxCount = 0): RevisionMeasurement => ({ requestCount, target5xxCount, elb5xxCount, p99Ms });
const m = (canary: RevisionMeasurement, stable?: RevisionMeasurement): Measurements => ({ windowMs: 1000, canary, stable });

describe('assess', () => {
  const cases: { name: string; m: Measurements; config?: Partial<AnalysisConfig>; want: string }[] = [
    { name: 'healthy canary with enough traffic passes', m: m(rev(100, 1), rev(900)), want: 'Successful' },
    { name: 'too few requests is Inconclusive, even with errors', m: m(rev(5, 5), rev(900)), want: 'Inconclusive' },
    { name: 'no traffic at all is Inconclusive', m: m(rev(0, 0, null)), want: 'Inconclusive' },
    { name: 'error rate above the limit fails', m: m(rev(100, 6)), want: 'Failed' },
    { name: 'router-made 5xx of the canary count as errors', m: m(rev(100, 0, 20, 6)), want: 'Failed' },
    { name: 'p99 above the limit fails', m: m(rev(100, 0, 800)), want: 'Failed' },
    { name: 'error rate exactly at the limit passes', m: m(rev(100, 5)), want: 'Successful' },
    {
      name: 'relative: canary errors close to stable pass',
      m: m(rev(100, 4), rev(1000, 30)),
      config: { maxErrorRatePercent: undefined, maxErrorRateIncreasePercent: 2 },
      want: 'Successful',
    },
    { name: 'relative: canary errors well above stable fail', m: m(rev(100, 10), rev(1000, 30)), config: { maxErrorRatePercent: undefined, maxErrorRateIncreasePercent: 2 }, want: 'Failed' },
    { name: 'relative p99: twice as slow as stable fails at ratio 1.5', m: m(rev(100, 0, 60), rev(1000, 0, 30)), config: { maxLatencyP99Ratio: 1.5 }, want: 'Failed' },
    { name: 'relative conditions are skipped without stable traffic', m: m(rev(100, 0, 60), rev(0, 0, null)), config: { maxLatencyP99Ratio: 1.5 }, want: 'Successful' },
    { name: 'minRequestCount 0 with no conditions passes an idle canary', m: m(rev(0, 0, null)), config: { minRequestCount: 0, maxErrorRatePercent: undefined, maxLatencyP99Ms: undefined }, want: 'Successful' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN measurements of canary and stable WHEN assessed THEN the verdict is
      const a = assess(c.m, { ...config, ...c.config });
      expect(a.verdict).toBe(c.want);
      expect(a.reasons.length).toBeGreaterThan(0);
    });
  }
});

describe('analysisOutcome', () => {
  const cases: { verdict: Parameters<typeof analysisOutcome>[0]; failedRuns: number; inconclusiveRuns: number; limits?: Partial<AnalysisConfig>; want: AnalysisOutcome }[] = [
    { verdict: 'Successful', failedRuns: 0, inconclusiveRuns: 0, want: 'continue' },
    { verdict: 'Failed', failedRuns: 1, inconclusiveRuns: 0, want: 'rollback' },
    { verdict: 'Failed', failedRuns: 1, inconclusiveRuns: 0, limits: { failureLimit: 1 }, want: 'retry' },
    { verdict: 'Failed', failedRuns: 2, inconclusiveRuns: 0, limits: { failureLimit: 1 }, want: 'rollback' },
    { verdict: 'Inconclusive', failedRuns: 0, inconclusiveRuns: 1, want: 'pause' },
    { verdict: 'Inconclusive', failedRuns: 0, inconclusiveRuns: 1, limits: { inconclusiveLimit: 2 }, want: 'retry' },
    { verdict: 'Error', failedRuns: 0, inconclusiveRuns: 3, limits: { inconclusiveLimit: 2 }, want: 'pause' },
  ];
  for (const c of cases) {
    it(`${c.verdict} after ${c.failedRuns} failed / ${c.inconclusiveRuns} inconclusive runs → ${c.want}`, () => {
      // GIVEN the counts including this run WHEN the outcome is decided THEN
      expect(analysisOutcome(c.verdict, c, { ...config, ...c.limits })).toBe(c.want);
    });
  }
});
