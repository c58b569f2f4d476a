import { isBreaching } from './compare.js';
import type { Evaluation, MetricAlarmInput } from './model.js';
import { ignoredReason, insufficientReason, thresholdReason, type RangePoint } from './reason.js';
import { validateMetricAlarmInput } from './validate.js';

/**
 * Evaluates a metric alarm over its evaluation range the way CloudWatch does ("How alarm state is
 * evaluated when data is missing"), with N = `evaluationPeriods` and M = `datapointsToAlarm`:
 *
 * 1. At least N real datapoints in the range: the most recent N real ones are evaluated and the
 *    missing-data setting is not used. ALARM when at least M breach, otherwise OK.
 * 2. No real datapoint: `missing` → INSUFFICIENT_DATA, `ignore` → the previous state,
 *    `breaching` → ALARM, `notBreaching` → OK.
 * 3. Some but fewer than N: every real datapoint is evaluated and N − (real count) missing ones are
 *    filled. `breaching` / `notBreaching` fill as bad / good. `missing` and `ignore` do not fill:
 *    ALARM when at least M real datapoints breach; else OK when any real datapoint does not breach;
 *    else (all real datapoints breach, fewer than M) `ignore` keeps the previous state and `missing`
 *    goes to ALARM when the oldest evaluated datapoint is a real breaching one (enough missing periods
 *    follow it to complete the window), INSUFFICIENT_DATA otherwise.
 *
 * Rule 3 for `missing`/`ignore` is slipway's reading of the rows of CloudWatch's documented tables
 * (docs/alarms.md lists them; each row is a test).
 *
 * @throws InputError `SLW_ERR_ALARM_INVALID` when the settings or datapoints are invalid.
 */
export function evaluateMetricAlarm(input: MetricAlarmInput): Evaluation {
  validateMetricAlarmInput(input);
  const { alarm, previousState } = input;
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm;
  const padding = Math.max(0, n - input.datapoints.length);
  const values = [...new Array<null>(padding).fill(null), ...input.datapoints];
  const band = input.band === undefined ? undefined : [...new Array<undefined>(padding).fill(undefined), ...input.band];
  const rangeStartMs = input.rangeStartMs === undefined ? undefined : input.rangeStartMs - padding * alarm.periodMs;
  const real: RangePoint[] = [];
  values.forEach((value, index) => {
    if (value !== null) real.push({ index, value, breaching: isBreaching(alarm.comparison, value, alarm.threshold, band?.[index]) });
  });
  const missingCount = values.length - real.length;
  const decide = (state: 'OK' | 'ALARM', evaluated: readonly RangePoint[], filled: number): Evaluation => {
    const filledBreaching = alarm.treatMissingData === 'breaching' ? filled : 0;
    const reason = thresholdReason({
      comparison: alarm.comparison,
      threshold: alarm.threshold,
      evaluationPeriods: n,
      datapointsToAlarm: m,
      previousState,
      state,
      evaluated,
      filled,
      treatMissingData: alarm.treatMissingData,
      periodMs: alarm.periodMs,
      ...(band === undefined ? {} : { band: band.map((b) => b ?? { lower: Number.NaN, upper: Number.NaN }) }),
      ...(rangeStartMs === undefined ? {} : { rangeStartMs }),
    });
    const breachingCount = evaluated.filter((p) => p.breaching).length + filledBreaching;
    return { state, reason, breachingCount, evaluatedCount: evaluated.length + filled };
  };
  const byCount = (evaluated: readonly RangePoint[], filled: number): Evaluation => {
    const filledBreaching = alarm.treatMissingData === 'breaching' ? filled : 0;
    const breaching = evaluated.filter((p) => p.breaching).length + filledBreaching;
    return decide(breaching >= m ? 'ALARM' : 'OK', evaluated, filled);
  };
  const breachingReal = real.filter((p) => p.breaching).length;
  const retained = (): Evaluation => ({
    state: previousState,
    reason: ignoredReason(previousState, missingCount, values.length),
    breachingCount: breachingReal,
    evaluatedCount: real.length,
  });
  const insufficient = (): Evaluation => ({
    state: 'INSUFFICIENT_DATA',
    reason: insufficientReason(missingCount),
    breachingCount: breachingReal,
    evaluatedCount: real.length,
  });

  if (real.length >= n) return byCount(real.slice(real.length - n), 0);
  const fills = n - real.length;
  switch (alarm.treatMissingData) {
    case 'breaching':
    case 'notBreaching':
      return byCount(real, fills);
    case 'ignore':
    case 'missing': {
      if (real.length === 0) return alarm.treatMissingData === 'missing' ? insufficient() : retained();
      if (breachingReal >= m) return decide('ALARM', real, 0);
      if (breachingReal < real.length) return decide('OK', real, 0);
      if (alarm.treatMissingData === 'ignore') return retained();
      const oldest = real[0]?.index ?? 0;
      const missingAfterOldest = values.length - 1 - oldest - (real.length - 1);
      return missingAfterOldest >= fills ? decide('ALARM', real, 0) : insufficient();
    }
  }
}
