import type { ErrorCodeSpec } from '../spec.js';

/** Codes of alarms: metric alarm definitions, composite rules, anomaly models, the alarms API. */
export const alarmCodes = {
  SLW_ERR_ALARM_INVALID: { status: 400, message: 'The alarm definition is invalid' },
  SLW_ERR_ALARM_RULE_SYNTAX: { status: 400, message: 'The composite alarm rule has a syntax error' },
  SLW_ERR_ALARM_ANOMALY_HISTORY: { status: 400, message: 'The metric history cannot train an anomaly model' },
  SLW_ERR_ALARM_NOT_FOUND: { status: 404, message: 'No alarm with this name' },
  SLW_ERR_ALARM_MUTE_INVALID: { status: 400, message: 'The mute window is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
