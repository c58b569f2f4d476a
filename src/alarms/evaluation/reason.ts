import { comparisonPhrase, isBandComparison } from './compare.js';
import { datapoints, formatTime, formatValue } from './format.js';
import type { AlarmState, BandPoint, ComparisonOperator, TreatMissingData } from './model.js';

/** One real datapoint of the evaluation range. */
export interface RangePoint {
  /** Position in the range, 0 = oldest. */
  readonly index: number;
  /** The value. */
  readonly value: number;
  /** Whether it breaches. */
  readonly breaching: boolean;
}

/** What a threshold reason is written from. */
export interface ThresholdReasonInput {
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly previousState: AlarmState;
  readonly state: 'OK' | 'ALARM';
  /** The real datapoints that were evaluated. */
  readonly evaluated: readonly RangePoint[];
  /** How many missing datapoints were filled, and as what. */
  readonly filled: number;
  readonly treatMissingData: TreatMissingData;
  readonly band?: readonly BandPoint[];
  readonly rangeStartMs?: number;
  readonly periodMs: number;
}

function pointText(p: RangePoint, input: ThresholdReasonInput): string {
  const value = formatValue(p.value);
  return input.rangeStartMs === undefined ? value : `${value} (${formatTime(input.rangeStartMs + p.index * input.periodMs)})`;
}

function target(listed: readonly RangePoint[], input: ThresholdReasonInput): string {
  const phrase = comparisonPhrase(input.comparison);
  if (!isBandComparison(input.comparison)) return `${phrase} the threshold (${formatValue(input.threshold)})`;
  const edges = (pick: (b: BandPoint) => number): string =>
    `[${listed.map((p) => input.band?.[p.index]).filter((b) => b !== undefined).map((b) => formatValue(pick(b))).join(', ')}]`;
  switch (input.comparison) {
    case 'LessThanLowerThreshold':
      return `${phrase} ${edges((b) => b.lower)}`;
    case 'GreaterThanUpperThreshold':
      return `${phrase} ${edges((b) => b.upper)}`;
    default:
      return `less than the lower thresholds ${edges((b) => b.lower)} or greater than the upper thresholds ${edges((b) => b.upper)}`;
  }
}

/**
 * The reason of an OK or ALARM outcome, in CloudWatch's shape:
 * `Threshold Crossed: 2 out of the last 3 datapoints [9.0 (12/01/26 10:05:00), 7.0 (12/01/26 10:00:00)] were
 * greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).`
 * Datapoints are listed newest first: the breaching ones for ALARM, the others for OK.
 */
export function thresholdReason(input: ThresholdReasonInput): string {
  const alarm = input.state === 'ALARM';
  const listed = input.evaluated.filter((p) => p.breaching === alarm).sort((a, b) => b.index - a.index);
  const filledCounts = (input.treatMissingData === 'breaching') === alarm ? input.filled : 0;
  const count = listed.length + filledCounts;
  const verb = count === 1 ? 'was' : 'were';
  const negation = alarm ? '' : 'not ';
  const prefix = isBandComparison(input.comparison) ? 'Thresholds Crossed' : 'Threshold Crossed';
  const as = input.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching';
  let text: string;
  if (input.evaluated.length === 0) {
    const periods = `${input.filled} ${input.filled === 1 ? 'period' : 'periods'}`;
    text = `${prefix}: no datapoints were received for ${periods} and ${datapoints(input.filled)} ${input.filled === 1 ? 'was' : 'were'} treated as [${as}]`;
  } else {
    const items = listed.map((p) => pointText(p, input));
    if (filledCounts > 0) items.push(`${filledCounts} missing treated as [${as}]`);
    text = `${prefix}: ${count} out of the last ${input.evaluationPeriods} datapoints [${items.join(', ')}] ${verb} ${negation}${target(listed, input)}`;
  }
  if (input.previousState !== input.state) {
    const minimum = alarm ? input.datapointsToAlarm : input.evaluationPeriods - input.datapointsToAlarm + 1;
    text += ` (minimum ${datapoints(minimum)} for ${input.previousState} -> ${input.state} transition)`;
  }
  return `${text}.`;
}

/** The reason of INSUFFICIENT_DATA: `Insufficient Data: 5 datapoints were unknown.` */
export function insufficientReason(missing: number): string {
  return `Insufficient Data: ${datapoints(missing)} ${missing === 1 ? 'was' : 'were'} unknown.`;
}

/** The reason when `ignore` keeps the current state. */
export function ignoredReason(previousState: AlarmState, missing: number, range: number): string {
  return `Missing data ignored: ${missing} of the last ${datapoints(range)} ${missing === 1 ? 'was' : 'were'} missing; the state stays ${previousState}.`;
}
