import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** An alarm changed state (subject `alarm/<name>`). */
export const ALARM_STATE_CHANGED = 'alarm.state.changed';
/** An alarm's actions were muted. */
export const ALARM_MUTED = 'alarm.muted';
/** An alarm's actions were unmuted. */
export const ALARM_UNMUTED = 'alarm.unmuted';

const alarmState = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/**
 * The first version wrote `name` (or only the subject) for the alarm and `state` for the new state;
 * today they are `alarm` and `newState`.
 */
function upgradeAlarmState(data: Readonly<Record<string, unknown>>, subject: string): Readonly<Record<string, unknown>> {
  if (typeof data.alarm === 'string' && typeof data.newState === 'string') return data;
  const { name, state, ...rest } = data;
  const alarm = typeof data.alarm === 'string' ? data.alarm : typeof name === 'string' ? name : subject.startsWith('alarm/') ? subject.slice('alarm/'.length) : undefined;
  return { ...rest, ...(alarm === undefined ? {} : { alarm }), newState: data.newState ?? state };
}

/** The `alarm.*` events of the alarm engine. */
export const alarmEvents = {
  [ALARM_STATE_CHANGED]: eventSpec(
    'An alarm went from `oldState` to `newState` (`OK | ALARM | INSUFFICIENT_DATA`); names the deployment in progress, if any.',
    z.object({
      alarm: z.string(),
      /** Absent in the first version's events. */
      kind: z.string().optional(),
      /** Absent in the first version's events. */
      oldState: alarmState.optional(),
      newState: alarmState,
      reason: z.string().optional(),
      description: z.string().optional(),
      /** The alarm's runbook: a URL or a Markdown file relative to the config file. */
      runbook: z.string().optional(),
      service: z.string().optional(),
      environment: z.string().optional(),
      /** The deployment in progress on the alarm's service when it changed, as its events name it. */
      deploymentId: z.union([z.number().int(), z.string()]).optional(),
      /** The topics the alarm notifies; absent in the first version's events. */
      notify: z.array(z.string()).optional(),
      /** Whether the alarm's actions were muted; absent in the first version's events. */
      muted: z.boolean().optional(),
      mutedUntilMs: z.number().optional(),
    }),
    upgradeAlarmState,
  ),
  [ALARM_MUTED]: eventSpec('An alarm\'s actions are muted until `mutedUntil`; it still changes state.', z.object({ alarm: z.string(), kind: z.string(), mutedUntilMs: z.number(), mutedUntil: z.string() })),
  [ALARM_UNMUTED]: eventSpec('An alarm\'s actions are no longer muted.', z.object({ alarm: z.string(), kind: z.string() })),
} as const;
