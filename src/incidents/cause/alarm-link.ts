import type { SlipwayEvent } from '../../core/index.js';
import { formatDuration, type ResolvedAlarm } from '../../shared/index.js';
import { str } from '../event-fields.js';

/** What an alarm measured when it opened an incident: its definition and its evaluation's reason. */
export interface AlarmLink {
  readonly name: string;
  /** The evaluation's reason, from the `alarm.state.changed` event that opened the incident. */
  readonly reason: string | null;
  /** What it measures and against what, e.g. `HTTPCode_Target_5XX_Count (Sum per 10s) of gateway > 5 in 2 of 3 periods`. */
  readonly measures: string | null;
}

const COMPARISON: Readonly<Record<string, string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** The alarm link of an incident (pure): its name, its trigger event's reason, its definition in words. */
export function alarmLink(name: string, trigger: SlipwayEvent | undefined, def: ResolvedAlarm | undefined): AlarmLink {
  return { name, reason: trigger === undefined ? null : (str(trigger, 'reason') ?? null), measures: def === undefined ? null : measures(def) };
}

function measures(a: ResolvedAlarm): string {
  if (a.kind === 'Composite') return `the rule ${a.rule}`;
  const of = [a.service, a.environment === undefined ? undefined : `in ${a.environment}`].filter((x) => x !== undefined).join(' ');
  const what = `${a.metric} (${a.stat} per ${formatDuration(a.periodMs)})${of === '' ? '' : ` of ${of}`}`;
  const limit = a.kind === 'Metric' ? `${COMPARISON[a.comparison] ?? a.comparison} ${a.threshold}` : `outside its anomaly band of ${a.band} standard deviations`;
  return `${what} ${limit} in ${a.datapointsToAlarm} of ${a.evaluationPeriods} periods`;
}
