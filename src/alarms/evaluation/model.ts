/**
 * The state of an alarm. These are CloudWatch's own words and the compatibility target, so they
 * keep CloudWatch's spelling rather than slipway's PascalCase.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The alarm states, in CloudWatch's order. */
export const ALARM_STATES: readonly AlarmState[] = Object.freeze(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** Comparisons against a static threshold (CloudWatch `ComparisonOperator` values). */
export type ThresholdComparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** Comparisons against an anomaly detection band (CloudWatch `ComparisonOperator` values). */
export type BandComparison = 'LessThanLowerOrGreaterThanUpperThreshold' | 'LessThanLowerThreshold' | 'GreaterThanUpperThreshold';

/** Every comparison a metric alarm can make. */
export type ComparisonOperator = ThresholdComparison | BandComparison;

/**
 * How missing datapoints are treated (CloudWatch `TreatMissingData` values):
 * `missing` — not considered, `INSUFFICIENT_DATA` when the whole evaluation range is missing;
 * `notBreaching` / `breaching` — filled as good / bad; `ignore` — the current state is kept.
 */
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** A metric alarm's evaluation settings, resolved (durations in ms). */
export interface MetricAlarmSettings {
  /** The static threshold; unused by band comparisons. */
  readonly threshold: number;
  /** How a datapoint is compared. */
  readonly comparison: ComparisonOperator;
  /** N: how many of the most recent periods are evaluated. At least 1. */
  readonly evaluationPeriods: number;
  /** M: how many of the N datapoints must breach for ALARM. `1 <= M <= N`. */
  readonly datapointsToAlarm: number;
  /** How missing datapoints are treated. */
  readonly treatMissingData: TreatMissingData;
  /** The length of one period, e.g. `60_000`. */
  readonly periodMs: number;
}

/** One point of an anomaly detection band. */
export interface BandPoint {
  /** The lower edge. */
  readonly lower: number;
  /** The upper edge. */
  readonly upper: number;
}

/** What `evaluateMetricAlarm` needs. */
export interface MetricAlarmInput {
  /** The alarm's settings. */
  readonly alarm: MetricAlarmSettings;
  /**
   * One value per period of the evaluation range, oldest first; `null` is a missing datapoint.
   * The range may be longer than `evaluationPeriods` (CloudWatch looks further back when data is
   * missing, see `evaluationWindow`); a shorter array counts the absent older periods as missing.
   */
  readonly datapoints: readonly (number | null)[];
  /** The band for each datapoint (same indices); required for band comparisons. */
  readonly band?: readonly BandPoint[];
  /** The state before this evaluation. */
  readonly previousState: AlarmState;
  /**
   * The start of the period of `datapoints[0]`, used to print datapoint times in the reason.
   * @default no times are printed
   */
  readonly rangeStartMs?: number;
}

/** The outcome of one evaluation. */
export interface Evaluation {
  /** The new state. */
  readonly state: AlarmState;
  /** Why, in CloudWatch's words, e.g. `Threshold Crossed: 2 out of the last 3 datapoints [...] were greater than the threshold (5.0) ...`. */
  readonly reason: string;
  /** Breaching datapoints among those evaluated (filled ones included). */
  readonly breachingCount: number;
  /** Datapoints evaluated (filled ones included); 0 when nothing could be evaluated. */
  readonly evaluatedCount: number;
}
