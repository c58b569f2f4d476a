import type { DoraBand } from './model.js';
import type { DoraThresholds, DurationLevel } from './thresholds.js';

function last<T>(items: readonly T[]): T {
  return items[items.length - 1] as T;
}

/** The band of a deployment frequency, in successful deployments per day. */
export function frequencyBand(thresholds: DoraThresholds, perDay: number): DoraBand {
  const levels = thresholds.deploymentFrequency;
  return (levels.find((l) => perDay >= l.atLeastPerDay) ?? last(levels)).band;
}

/** The band of a duration (lead time or time to restore) against a list of levels. */
export function durationBand(levels: readonly DurationLevel[], durationMs: number): DoraBand {
  return (levels.find((l) => durationMs < l.belowMs) ?? last(levels)).band;
}

/** The band of a change failure rate (a ratio, 0.1 = 10%). */
export function changeFailureBand(thresholds: DoraThresholds, ratio: number): DoraBand {
  const { rule, levels } = thresholds.changeFailureRate;
  if (rule === 'atMost') return (levels.find((l) => ratio <= l.ratio) ?? last(levels)).band;
  // Nearest reported value; rounding to 1e-9 keeps float noise from breaking ties, which go to the better band.
  const distance = (r: number) => Math.round(Math.abs(ratio - r) * 1e9);
  return levels.reduce((best, l) => (distance(l.ratio) < distance(best.ratio) ? l : best)).band;
}
