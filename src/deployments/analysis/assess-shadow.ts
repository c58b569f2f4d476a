import type { ResolvedShadow, ShadowReportDto } from '../../shared/index.js';
import type { AnalysisVerdict } from '../model.js';

/** The verdict of a shadow step and why. */
export interface ShadowAssessment {
  readonly verdict: AnalysisVerdict;
  readonly reasons: readonly string[];
  /** Share of compared answers that differed, percent; null when none were compared. */
  readonly differingPercent: number | null;
}

/** What a shadow verdict makes the deployment do: go on, roll back, or pause for a person (Inconclusive never guesses). */
export type ShadowOutcome = 'continue' | 'rollback' | 'pause';

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;

/**
 * Judges a shadow comparison (pure). Fewer compared answers than `minRequestCount` give
 * Inconclusive; otherwise the share of differing answers must not exceed `maxDiffPercent`
 * and, when set, the shadow's p99 must stay within `maxLatencyRatio` of the primary's.
 */
export function assessShadow(report: ShadowReportDto, config: ResolvedShadow): ShadowAssessment {
  const { compared, differing } = report;
  const differingPercent = compared === 0 ? null : Math.round((10_000 * differing) / compared) / 100;
  if (compared < config.minRequestCount) {
    return { verdict: 'Inconclusive', reasons: [`${compared} answers compared, fewer than the ${config.minRequestCount} needed (${report.mirrored} mirrored, skipped: ${skippedText(report)})`], differingPercent };
  }
  const failures: string[] = [];
  if (differingPercent !== null && differingPercent > config.maxDiffPercent) {
    const top = Object.entries(report.fields).slice(0, 3).map(([f, n]) => `${f} ×${n}`).join(', ');
    failures.push(`${pct(differingPercent)} of answers differ (${differing} of ${compared}), more than ${pct(config.maxDiffPercent)}${top === '' ? '' : `: ${top}`}`);
  }
  const ratio = report.latency.p99Ratio;
  if (config.maxLatencyRatio !== undefined && ratio !== null && ratio > config.maxLatencyRatio) {
    failures.push(`p99 latency ${report.latency.shadowP99Ms} ms is ${ratio}× the old revision's ${report.latency.primaryP99Ms} ms, more than ${config.maxLatencyRatio}×`);
  }
  if (failures.length > 0) return { verdict: 'Failed', reasons: failures, differingPercent };
  return { verdict: 'Successful', reasons: [`${differing} of ${compared} answers differ (${pct(differingPercent ?? 0)}, at most ${pct(config.maxDiffPercent)})`], differingPercent };
}

/** The deployment's outcome of a shadow verdict. */
export function shadowOutcome(verdict: AnalysisVerdict): ShadowOutcome {
  return verdict === 'Successful' ? 'continue' : verdict === 'Failed' ? 'rollback' : 'pause';
}

function skippedText(report: ShadowReportDto): string {
  const parts = Object.entries(report.skipped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
