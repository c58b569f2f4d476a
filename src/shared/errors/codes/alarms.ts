import type { ErrorCodeSpec } from '../spec.js';

/** Codes of alarms: metric alarm definitions, composite rules, anomaly models. */
export const alarmCodes = {
  SLW_ERR_ALARM_INVALID: { status: 400, message: 'The alarm definition is invalid' },
  SLW_ERR_ALARM_RULE_SYNTAX: { status: 400, message: 'The composite alarm rule has a syntax error' },
  SLW_ERR_ALARM_ANOMALY_HISTORY: { status: 400, message: 'The metric history cannot train an anomaly model' },
} as const satisfies Record<string, ErrorCodeSpec>;
