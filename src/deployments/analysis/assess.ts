import type { AnalysisConfig, AnalysisVerdict, Measurements, RevisionMeasurement } from '../model.js';

/** The verdict of one analysis run and why. */
export interface Assessment {
  readonly verdict: AnalysisVerdict;
  readonly reasons: readonly string[];
}

/** Errors of a revision over the window in percent of its requests (router-made 5xx included). */
export function errorRatePercent(m: RevisionMeasurement): number {
  return m.requestCount === 0 ? 0 : (100 * (m.target5xxCount + m.elb5xxCount)) / m.requestCount;
}

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;

/**
 * Judges the new revision from what the router measured (pure). Too few
 * requests to the new revision give Inconclusive, never a pass or a failure
 * on noise. Otherwise every configured condition must hold: absolute error
 * rate, error rate above the stable revision's, absolute p99, p99 relative
 * to the stable revision's. Relative conditions are skipped when the stable
 * revision has no traffic in the window.
 */
export function assess(m: Measurements, config: AnalysisConfig): Assessment {
  const canary = m.canary;
  if (canary.requestCount < config.minRequestCount) {
    return { verdict: 'Inconclusive', reasons: [`${canary.requestCount} requests to the new revision in ${m.windowMs} ms, fewer than the ${config.minRequestCount} needed`] };
  }
  const failures: string[] = [];
  const rate = errorRatePercent(canary);
  if (config.maxErrorRatePercent !== undefined && rate > config.maxErrorRatePercent) {
    failures.push(`error rate ${pct(rate)} above ${pct(config.maxErrorRatePercent)}`);
  }
  const stable = m.stable !== undefined && m.stable.requestCount > 0 ? m.stable : undefined;
  if (config.maxErrorRateIncreasePercent !== undefined && stable) {
    const base = errorRatePercent(stable);
    if (rate - base > config.maxErrorRateIncreasePercent) failures.push(`error rate ${pct(rate)} exceeds the stable revision's ${pct(base)} by more than ${config.maxErrorRateIncreasePercent} points`);
  }
  if (config.maxLatencyP99Ms !== undefined && canary.p99Ms !== null && canary.p99Ms > config.maxLatencyP99Ms) {
    failures.push(`p99 ${canary.p99Ms.toFixed(1)} ms above ${config.maxLatencyP99Ms} ms`);
  }
  if (config.maxLatencyP99Ratio !== undefined && stable?.p99Ms && canary.p99Ms !== null && canary.p99Ms / stable.p99Ms > config.maxLatencyP99Ratio) {
    failures.push(`p99 ${canary.p99Ms.toFixed(1)} ms is more than ${config.maxLatencyP99Ratio}× the stable revision's ${stable.p99Ms.toFixed(1)} ms`);
  }
  if (failures.length > 0) return { verdict: 'Failed', reasons: failures };
  return { verdict: 'Successful', reasons: [`${canary.requestCount} requests, error rate ${pct(rate)}${canary.p99Ms === null ? '' : `, p99 ${canary.p99Ms.toFixed(1)} ms`}`] };
}

/** What the deployment does after a verdict, given the runs so far (pure). */
export type AnalysisOutcome = 'continue' | 'retry' | 'rollback' | 'pause';

/**
 * Successful continues; Failed retries the step until more than `failureLimit`
 * runs failed, then rolls back; Inconclusive (and Error) retry until more than
 * `inconclusiveLimit`, then pause for a human.
 */
export function analysisOutcome(verdict: AnalysisVerdict, counts: { failedRuns: number; inconclusiveRuns: number }, config: AnalysisConfig): AnalysisOutcome {
  switch (verdict) {
    case 'Successful':
      return 'continue';
    case 'Failed':
      return counts.failedRuns > config.failureLimit ? 'rollback' : 'retry';
    case 'Inconclusive':
    case 'Error':
      return counts.inconclusiveRuns > config.inconclusiveLimit ? 'pause' : 'retry';
  }
}
