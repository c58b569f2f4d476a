import type { CustomEventPayload, CustomEventType, EventPayloads, EventType } from '../../shared/index.js';
import type { Migration } from '../db/index.js';

/** One entry of the event log: something that happened, in the order it happened. */
export interface SlipwayEvent {
  /** Position in the log: 1, 2, 3, ... with no gaps. */
  readonly seq: number;
  /** When it was appended, ms since the epoch. */
  readonly timeMs: number;
  /** Past tense and dotted, e.g. `deployment.traffic.shifted`. */
  readonly type: string;
  /** What it is about, e.g. `deployment/42` or `service/production/gateway`. */
  readonly subject: string;
  /** Details; plain JSON. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** What a writer hands to {@link EventLog.append} for a catalogued type: the payload its schema describes. */
export interface NewCataloguedEvent<T extends EventType> {
  /** A type of the event catalog (`src/shared/events`). */
  readonly type: T;
  /** What it is about, e.g. `deployment/42`. */
  readonly subject: string;
  /** The payload, as the catalog describes it for `type`. */
  readonly data: EventPayloads[T];
}

/** What a writer hands to {@link EventLog.append} for an annotation of the open `custom.*` namespace. */
export interface NewCustomEvent {
  /** `custom.<dotted.words>`. */
  readonly type: CustomEventType;
  /** What it is about. */
  readonly subject: string;
  /** Any JSON object. @default {} */
  readonly data?: CustomEventPayload;
}

/** Any event a writer may append: one of the catalog's types with its payload, or a `custom.*` one. */
export type NewEvent = { [T in EventType]: NewCataloguedEvent<T> }[EventType] | NewCustomEvent;

/** Filters of {@link EventLog.list}; all optional and combined with AND. */
export interface EventQuery {
  /** Type or type prefix: `deployment` matches `deployment.started` and `deployment.traffic.shifted`. */
  readonly type?: string;
  /** Exact subject. */
  readonly subject?: string;
  /** Only events with `seq` greater than this (paging and resuming). */
  readonly afterSeq?: number;
  /** From this time, inclusive (ms). */
  readonly sinceMs?: number;
  /** Until this time, exclusive (ms). */
  readonly untilMs?: number;
  /** At most this many, oldest first. @default 1000 */
  readonly limit?: number;
}

/** Event types are lowercase dotted words, at least two: `pipeline.run.started`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The upper bound of {@link EventQuery.limit}. */
export const MAX_EVENT_PAGE = 10_000;

/** The event log's tables. */
export const eventMigrations: readonly Migration[] = [
  {
    id: 'core-001-events',
    sql: `CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      time_ms INTEGER NOT NULL,
      type TEXT NOT NULL,
      subject TEXT NOT NULL,
      data TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_type ON events (type, seq);
    CREATE INDEX events_subject ON events (subject, seq);
    CREATE INDEX events_time ON events (time_ms);`,
  },
];
