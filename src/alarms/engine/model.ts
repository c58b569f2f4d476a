import type { AlarmState } from '../evaluation/index.js';

/** The kinds of alarm, as the app model names them. */
export type AlarmKind = 'Metric' | 'Anomaly' | 'Composite';

/** An alarm's persisted status: the evaluator's only memory. */
export interface AlarmRecord {
  /** The alarm's name. */
  readonly name: string;
  /** Metric, Anomaly or Composite. */
  readonly kind: AlarmKind;
  /** The current state. */
  readonly state: AlarmState;
  /** Why it is in that state (CloudWatch's wording), or why it could not be evaluated. */
  readonly reason: string;
  /** When the state last changed (or was first recorded), ms since the epoch. */
  readonly stateUpdatedAtMs: number;
  /** When it was last evaluated; undefined before the first evaluation. */
  readonly lastEvaluatedAtMs: number | undefined;
  /** Actions are suppressed until this time; undefined when not muted. */
  readonly mutedUntilMs: number | undefined;
  /** The last evaluation error, if the last evaluation failed. */
  readonly error: string | undefined;
}

/** What an alarm history entry records (CloudWatch's `HistoryItemType`, plus mutes and errors). */
export type AlarmHistoryType = 'StateUpdate' | 'Action' | 'Mute' | 'Error';

/** One entry of an alarm's history. */
export interface AlarmHistoryEntry {
  /** Increasing id. */
  readonly id: number;
  /** The alarm. */
  readonly alarm: string;
  /** When, ms since the epoch. */
  readonly timeMs: number;
  /** What happened. */
  readonly type: AlarmHistoryType;
  /** The state before a StateUpdate. */
  readonly oldState: AlarmState | undefined;
  /** The state after a StateUpdate. */
  readonly newState: AlarmState | undefined;
  /** One line saying what happened and why. */
  readonly summary: string;
  /** Details (deployment id, topics notified, muted, ...). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An alarm as `list()` and `GET /api/v1/alarms` show it. */
export interface AlarmSummary {
  /** The alarm's name. */
  readonly name: string;
  /** Metric, Anomaly or Composite. */
  readonly kind: AlarmKind;
  /** The service it watches (for a composite: the one all its metric alarms watch), if one. */
  readonly service: string | undefined;
  /** The environment it watches, likewise, if one. */
  readonly environment: string | undefined;
  /** What it means, from the app model. */
  readonly description: string | undefined;
  /** Its runbook: an http(s) URL or a Markdown file relative to the config file. */
  readonly runbook: string | undefined;
  /** The topics it notifies. */
  readonly notify: readonly string[];
  /** The current state; INSUFFICIENT_DATA before the first evaluation. */
  readonly state: AlarmState;
  /** Why. */
  readonly reason: string;
  /** When the state last changed, ms since the epoch. */
  readonly updatedAtMs: number;
  /** When it was last evaluated. */
  readonly lastEvaluatedAtMs: number | undefined;
  /** Whether actions are muted now. */
  readonly muted: boolean;
  /** Until when, when muted. */
  readonly mutedUntilMs: number | undefined;
  /** The last evaluation error, or the reason the definition cannot be evaluated. */
  readonly error: string | undefined;
}
