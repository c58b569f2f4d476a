import { InputError } from '../../shared/index.js';

/**
 * How many periods before the N evaluated ones slipway also fetches, so missing datapoints can be
 * judged the way CloudWatch does (its docs show 5 datapoints retrieved for a 3-period alarm).
 */
export const EVALUATION_LOOKBACK_PERIODS = 2;

function assertPeriod(periodMs: number): void {
  if (!Number.isInteger(periodMs) || periodMs <= 0) {
    throw new InputError('SLW_ERR_ALARM_INVALID', `periodMs must be a positive integer, got ${periodMs}`, {
      issues: [{ path: 'periodMs', message: `must be a positive integer, got ${periodMs}` }],
    });
  }
}

/** The start of the period that contains `timeMs` (periods are aligned to the Unix epoch). */
export function alignToPeriod(timeMs: number, periodMs: number): number {
  assertPeriod(periodMs);
  return timeMs - (((timeMs % periodMs) + periodMs) % periodMs);
}

/**
 * The start times of the periods to evaluate at `nowMs`, oldest first: the `evaluationPeriods` most
 * recent complete periods (the one containing `nowMs` is still open and excluded) preceded by
 * `lookbackPeriods` older ones that form CloudWatch's wider evaluation range. Pass the datapoints of
 * these periods, in this order, to `evaluateMetricAlarm`.
 *
 * @param lookbackPeriods extra older periods to fetch. @default EVALUATION_LOOKBACK_PERIODS (2)
 */
export function evaluationWindow(
  nowMs: number,
  periodMs: number,
  evaluationPeriods: number,
  lookbackPeriods: number = EVALUATION_LOOKBACK_PERIODS,
): number[] {
  assertPeriod(periodMs);
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1 || !Number.isInteger(lookbackPeriods) || lookbackPeriods < 0) {
    throw new InputError('SLW_ERR_ALARM_INVALID', `evaluationPeriods must be >= 1 and lookbackPeriods >= 0, got ${evaluationPeriods} and ${lookbackPeriods}`);
  }
  const openStartMs = alignToPeriod(nowMs, periodMs);
  const count = evaluationPeriods + lookbackPeriods;
  return Array.from({ length: count }, (_, i) => openStartMs - (count - i) * periodMs);
}
