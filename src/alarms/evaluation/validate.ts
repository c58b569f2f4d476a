import { InputError, type Issue } from '../../shared/index.js';
import { isBandComparison } from './compare.js';
import type { MetricAlarmInput } from './model.js';

const TREATMENTS = new Set(['missing', 'notBreaching', 'breaching', 'ignore']);

/** Throws `SLW_ERR_ALARM_INVALID` with one issue per problem when a metric alarm input cannot be evaluated. */
export function validateMetricAlarmInput(input: MetricAlarmInput): void {
  const { alarm } = input;
  const issues: Issue[] = [];
  const n = alarm.evaluationPeriods;
  if (!Number.isInteger(n) || n < 1) issues.push({ path: 'alarm.evaluationPeriods', message: `must be an integer >= 1, got ${n}` });
  const m = alarm.datapointsToAlarm;
  if (!Number.isInteger(m) || m < 1 || (Number.isInteger(n) && m > n)) {
    issues.push({ path: 'alarm.datapointsToAlarm', message: `must be an integer from 1 to evaluationPeriods (${n}), got ${m}` });
  }
  if (!(alarm.periodMs > 0)) issues.push({ path: 'alarm.periodMs', message: `must be > 0, got ${alarm.periodMs}` });
  if (!TREATMENTS.has(alarm.treatMissingData)) {
    issues.push({ path: 'alarm.treatMissingData', message: `must be one of missing, notBreaching, breaching, ignore; got ${String(alarm.treatMissingData)}` });
  }
  if (isBandComparison(alarm.comparison)) {
    if (input.band === undefined || input.band.length < input.datapoints.length) {
      issues.push({ path: 'band', message: `${alarm.comparison} needs one band point per datapoint (${input.datapoints.length}), got ${input.band?.length ?? 0}` });
    }
  } else if (!Number.isFinite(alarm.threshold)) {
    issues.push({ path: 'alarm.threshold', message: `must be a finite number, got ${alarm.threshold}` });
  }
  input.datapoints.forEach((v, i) => {
    if (v !== null && !Number.isFinite(v)) issues.push({ path: `datapoints[${i}]`, message: `must be a finite number or null, got ${v}` });
  });
  if (issues.length > 0) {
    throw new InputError('SLW_ERR_ALARM_INVALID', `The metric alarm cannot be evaluated: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
}
