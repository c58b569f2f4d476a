import { z } from 'zod';
import { durationMessage, tryParseDuration } from '../app-model/duration.js';

/** Path parameters naming an alarm. */
export const alarmParamsSchema = z.strictObject({
  name: z.string().min(1).max(255),
});

/** Body of `POST /api/v1/alarms/:name/mute`: for how long (`"30m"`) or until when (ms since the epoch); exactly one. */
export const muteAlarmBodySchema = z
  .strictObject({
    /** How long from now, e.g. `"30m"`, `"2h"`. */
    for: z
      .string()
      .refine((s) => (tryParseDuration(s) ?? 0) > 0, { error: (i) => durationMessage(i.input) })
      .optional(),
    /** Until this time, ms since the epoch. */
    untilMs: z.number().int().positive().optional(),
  })
  .refine((b) => (b.for === undefined) !== (b.untilMs === undefined), { error: 'give exactly one of "for" (a duration such as "30m") or "untilMs"' });

/** Parsed form of {@link muteAlarmBodySchema}. */
export type MuteAlarmBody = z.output<typeof muteAlarmBodySchema>;

/** Query string of `GET /api/v1/alarms/:name/history` and `GET /api/v1/notifications/dead-letters`. */
export const alarmPageQuerySchema = z.strictObject({
  /** @default 100 */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The alarm states, CloudWatch's words. */
export const ALARM_STATE_VALUES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

/** One alarm in `GET /api/v1/alarms`. */
export interface AlarmDto {
  readonly name: string;
  readonly kind: 'Metric' | 'Anomaly' | 'Composite';
  /** The service it watches (a composite: the one all its metric alarms watch), or null. */
  readonly service: string | null;
  /** The environment it watches, likewise, or null for every environment. */
  readonly environment: string | null;
  readonly state: (typeof ALARM_STATE_VALUES)[number];
  readonly reason: string;
  /** When the state last changed, ISO 8601. */
  readonly updatedAt: string;
  /** When it was last evaluated, ISO 8601, or null before the first evaluation. */
  readonly lastEvaluatedAt: string | null;
  /** Whether actions are muted now. */
  readonly muted: boolean;
  /** Until when, ISO 8601, when muted. */
  readonly mutedUntil: string | null;
  /** Why the last evaluation failed or why the alarm cannot be evaluated. */
  readonly error: string | null;
  /** What it means, from the app model, or null. */
  readonly description: string | null;
  /** Its runbook — an http(s) URL or a Markdown file relative to the config file — or null. */
  readonly runbook: string | null;
}

/** `GET /api/v1/alarms/:name`: the alarm, its topics and its runbook's text. */
export interface AlarmDetailDto extends AlarmDto {
  /** The topics it notifies. */
  readonly notify: readonly string[];
  /** The runbook's Markdown when it is a file (read at request time), or null: no runbook, a URL, or a file that is gone. */
  readonly runbookMarkdown: string | null;
}

/** `GET /api/v1/alarms`. */
export interface AlarmListDto {
  readonly alarms: readonly AlarmDto[];
}

/** One entry of `GET /api/v1/alarms/:name/history`, newest first. */
export interface AlarmHistoryDto {
  readonly id: number;
  readonly time: string;
  readonly type: 'StateUpdate' | 'Action' | 'Mute' | 'Error';
  readonly oldState: string | null;
  readonly newState: string | null;
  readonly summary: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One entry of `GET /api/v1/notifications/dead-letters`, newest first. */
export interface DeadLetterDto {
  readonly id: number;
  readonly time: string;
  readonly topic: string;
  readonly subscription: string;
  readonly eventType: string;
  readonly eventSeq: number | null;
  readonly attempts: number;
  readonly lastError: string;
  readonly message: Readonly<Record<string, unknown>>;
}
