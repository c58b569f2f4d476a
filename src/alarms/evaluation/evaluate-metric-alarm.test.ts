import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { evaluateMetricAlarm } from './evaluate-metric-alarm.js';
import type { AlarmState, ComparisonOperator, MetricAlarmSettings, TreatMissingData } from './model.js';

const THRESHOLD = 5;
const base: MetricAlarmSettings = {
  threshold: THRESHOLD,
  comparison: 'GreaterThanThreshold',
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  treatMissingData: 'missing',
  periodMs: 300_000,
};

/** `0` = not breaching (1), `X` = breaching (9), `-` = missing; oldest first, as in the AWS tables. */
function series(pattern: string): (number | null)[] {
  return [...pattern].map((c) => (c === '0' ? 1 : c === 'X' ? 9 : null));
}

function run(pattern: string, n: number, m: number, treatMissingData: TreatMissingData, previousState: AlarmState = 'OK') {
  return evaluateMetricAlarm({
    alarm: { ...base, evaluationPeriods: n, datapointsToAlarm: m, treatMissingData },
    datapoints: series(pattern),
    previousState,
  });
}

type Outcome = AlarmState | 'Retain';
// The rows of CloudWatch's tables "How alarm state is evaluated when data is missing"
// (5 datapoints retrieved; columns MISSING, IGNORE, BREACHING, NOT BREACHING).
const AWS_TABLE: [string, number, number, Outcome, Outcome, Outcome, Outcome][] = [
  ['0-X-X', 3, 3, 'OK', 'OK', 'OK', 'OK'],
  ['0----', 3, 3, 'OK', 'OK', 'OK', 'OK'],
  ['-----', 3, 3, 'INSUFFICIENT_DATA', 'Retain', 'ALARM', 'OK'],
  ['0XX-X', 3, 3, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['----X', 3, 3, 'INSUFFICIENT_DATA', 'Retain', 'ALARM', 'OK'],
  ['X----', 3, 3, 'ALARM', 'Retain', 'ALARM', 'OK'],
  ['0-X-X', 3, 2, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['00X0X', 3, 2, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0-X--', 3, 2, 'OK', 'OK', 'ALARM', 'OK'],
  ['----0', 3, 2, 'OK', 'OK', 'ALARM', 'OK'],
  ['----X', 3, 2, 'INSUFFICIENT_DATA', 'Retain', 'ALARM', 'OK'],
];

describe('evaluateMetricAlarm — the AWS missing-data table', () => {
  const modes: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
  const cases = AWS_TABLE.flatMap(([pattern, n, m, ...outcomes]) =>
    modes.flatMap((mode, i) =>
      (['OK', 'ALARM'] as const).map((prev) => ({ pattern, n, m, mode, prev, want: outcomes[i] === 'Retain' ? prev : (outcomes[i] as AlarmState) })),
    ),
  );
  it.each(cases)('$m of $n, $pattern, $mode, previously $prev → $want', ({ pattern, n, m, mode, prev, want }) => {
    // GIVEN an M-of-N alarm and the five most recent datapoints of a row of the table
    // WHEN it is evaluated with this treatment of missing data and this previous state
    const result = run(pattern, n, m, mode, prev);
    // THEN the state is the one in the table ("Retain" keeps the previous state)
    expect(result.state).toBe(want);
  });
});

describe('evaluateMetricAlarm — counts and reasons', () => {
  it.each([
    // [pattern, N, M, treat, state, breachingCount, evaluatedCount]
    ['XXX', 3, 3, 'missing', 'ALARM', 3, 3],
    ['XX0', 3, 3, 'missing', 'OK', 2, 3],
    ['X0X', 3, 2, 'missing', 'ALARM', 2, 3],
    ['00X', 3, 2, 'missing', 'OK', 1, 3],
    ['X', 1, 1, 'missing', 'ALARM', 1, 1],
    ['0', 1, 1, 'missing', 'OK', 0, 1],
    ['X0X0X', 5, 3, 'missing', 'ALARM', 3, 5],
    ['X0X00', 5, 3, 'missing', 'OK', 2, 5],
    ['0XXX0X', 5, 3, 'missing', 'ALARM', 4, 5],
    ['-----', 3, 3, 'breaching', 'ALARM', 3, 3],
    ['-----', 3, 3, 'notBreaching', 'OK', 0, 3],
    ['-----', 3, 3, 'missing', 'INSUFFICIENT_DATA', 0, 0],
    ['0----', 3, 3, 'breaching', 'OK', 2, 3],
    ['0-X--', 3, 2, 'missing', 'OK', 1, 2],
  ] as const)('%s, %i of %i… (%s) → %s, %i breaching of %i', (pattern, n, m, mode, state, breaching, evaluated) => {
    // GIVEN an M-of-N alarm and a series
    // WHEN it is evaluated
    const result = run(pattern, n, m, mode);
    // THEN the state and the counts are exact
    expect([result.state, result.breachingCount, result.evaluatedCount]).toEqual([state, breaching, evaluated]);
  });

  it('writes the reason the way CloudWatch does, newest datapoint first, with the transition minimum', () => {
    // GIVEN a 2-of-3 alarm whose datapoints start at 10:00 on 12 January 2026
    // WHEN two of the three breach
    const result = evaluateMetricAlarm({
      alarm: { ...base, datapointsToAlarm: 2 },
      datapoints: [7, 2, 9],
      previousState: 'OK',
      rangeStartMs: Date.UTC(2026, 0, 12, 10, 0),
    });
    // THEN the reason lists the breaching datapoints with their times and the minimum for OK -> ALARM
    expect(result.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [9.0 (12/01/26 10:10:00), 7.0 (12/01/26 10:00:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });

  it('writes the OK reason with the non-breaching datapoints and the ALARM -> OK minimum (N − M + 1)', () => {
    // GIVEN a 2-of-3 alarm in ALARM
    // WHEN only one datapoint breaches
    const result = evaluateMetricAlarm({ alarm: { ...base, datapointsToAlarm: 2 }, datapoints: [1, 2.5, 9], previousState: 'ALARM' });
    // THEN the reason lists the two others and the minimum of 2 for ALARM -> OK
    expect(result.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [2.5, 1.0] were not greater than the threshold (5.0) (minimum 2 datapoints for ALARM -> OK transition).',
    );
  });

  it.each([
    ['breaching', 'ALARM', 'Threshold Crossed: no datapoints were received for 3 periods and 3 datapoints were treated as [Breaching] (minimum 3 datapoints for OK -> ALARM transition).'],
    ['missing', 'INSUFFICIENT_DATA', 'Insufficient Data: 5 datapoints were unknown.'],
    ['ignore', 'OK', 'Missing data ignored: 5 of the last 5 datapoints were missing; the state stays OK.'],
  ] as const)('all missing with %s → %s and its reason', (mode, state, reason) => {
    // GIVEN five missing datapoints
    // WHEN evaluated with this treatment
    const result = run('-----', 3, 3, mode);
    // THEN the state and reason are exact
    expect([result.state, result.reason]).toEqual([state, reason]);
  });

  it('treats a series shorter than N as missing older datapoints', () => {
    // GIVEN a 3-of-3 alarm treating missing data as breaching and one breaching datapoint
    // WHEN evaluated
    const result = evaluateMetricAlarm({ alarm: { ...base, treatMissingData: 'breaching' }, datapoints: [9], previousState: 'OK' });
    // THEN the two absent periods are filled as breaching
    expect([result.state, result.breachingCount, result.evaluatedCount]).toEqual(['ALARM', 3, 3]);
  });
});

describe('evaluateMetricAlarm — comparison operators', () => {
  it.each([
    ['GreaterThanThreshold', 6, true],
    ['GreaterThanThreshold', 5, false],
    ['GreaterThanOrEqualToThreshold', 5, true],
    ['GreaterThanOrEqualToThreshold', 4.9, false],
    ['LessThanThreshold', 4, true],
    ['LessThanThreshold', 5, false],
    ['LessThanOrEqualToThreshold', 5, true],
    ['LessThanOrEqualToThreshold', 5.1, false],
  ] as [ComparisonOperator, number, boolean][])('%s with %d → breaching %s', (comparison, value, breaching) => {
    // GIVEN a 1-of-1 alarm with threshold 5
    // WHEN one datapoint is evaluated
    const result = evaluateMetricAlarm({ alarm: { ...base, comparison, evaluationPeriods: 1, datapointsToAlarm: 1 }, datapoints: [value], previousState: 'OK' });
    // THEN it breaches exactly when the comparison holds
    expect(result.state).toBe(breaching ? 'ALARM' : 'OK');
  });

  it.each([
    ['LessThanLowerOrGreaterThanUpperThreshold', 9, true],
    ['LessThanLowerOrGreaterThanUpperThreshold', 1, true],
    ['LessThanLowerOrGreaterThanUpperThreshold', 2, false],
    ['LessThanLowerOrGreaterThanUpperThreshold', 8, false],
    ['LessThanLowerThreshold', 1, true],
    ['LessThanLowerThreshold', 9, false],
    ['GreaterThanUpperThreshold', 9, true],
    ['GreaterThanUpperThreshold', 1, false],
  ] as [ComparisonOperator, number, boolean][])('%s with %d against band [2, 8] → breaching %s', (comparison, value, breaching) => {
    // GIVEN a 1-of-1 band alarm with the band [2, 8]
    // WHEN one datapoint is evaluated
    const result = evaluateMetricAlarm({
      alarm: { ...base, comparison, evaluationPeriods: 1, datapointsToAlarm: 1 },
      datapoints: [value],
      band: [{ lower: 2, upper: 8 }],
      previousState: 'OK',
    });
    // THEN it breaches exactly when the value is outside the watched edge(s)
    expect(result.state).toBe(breaching ? 'ALARM' : 'OK');
  });

  it('names the band edges in the reason of a band alarm', () => {
    // GIVEN a band alarm and a datapoint above the band
    const result = evaluateMetricAlarm({
      alarm: { ...base, comparison: 'LessThanLowerOrGreaterThanUpperThreshold', evaluationPeriods: 1, datapointsToAlarm: 1 },
      datapoints: [95],
      band: [{ lower: 10, upper: 50.5 }],
      previousState: 'OK',
    });
    // THEN the reason names both edges
    expect(result.reason).toBe(
      'Thresholds Crossed: 1 out of the last 1 datapoints [95.0] was less than the lower thresholds [10.0] or greater than the upper thresholds [50.5] (minimum 1 datapoint for OK -> ALARM transition).',
    );
  });
});

describe('evaluateMetricAlarm — invalid input', () => {
  it.each([
    [{ ...base, datapointsToAlarm: 4 }, 'alarm.datapointsToAlarm'],
    [{ ...base, evaluationPeriods: 0 }, 'alarm.evaluationPeriods'],
    [{ ...base, periodMs: 0 }, 'alarm.periodMs'],
    [{ ...base, comparison: 'GreaterThanUpperThreshold' as const }, 'band'],
  ])('rejects %o at %s', (alarm, path) => {
    // GIVEN an invalid setting WHEN evaluated THEN an InputError names the field
    let error: unknown;
    try {
      evaluateMetricAlarm({ alarm, datapoints: [1, 2, 3], previousState: 'OK' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('SLW_ERR_ALARM_INVALID');
    expect((error as InputError).issues.map((i) => i.path)).toContain(path);
  });
});
