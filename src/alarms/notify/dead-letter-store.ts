import type { Db } from '../../core/index.js';

/** A notification given up on after its attempts. */
export interface DeadLetter {
  readonly id: number;
  /** When it was dead-lettered, ms since the epoch. */
  readonly timeMs: number;
  readonly topic: string;
  /** The subscription's type and target (never a secret). */
  readonly subscription: string;
  readonly eventType: string;
  readonly eventSeq: number | undefined;
  readonly attempts: number;
  readonly lastError: string;
  /** The message that was not delivered (the webhook body). */
  readonly message: Readonly<Record<string, unknown>>;
}

interface Row {
  id: number;
  time_ms: number;
  topic: string;
  subscription: string;
  event_type: string;
  event_seq: number | null;
  attempts: number;
  last_error: string;
  message: string;
}

/** Dead letters in SQLite (table `notification_dead_letters` of `alarmMigrations`). */
export class DeadLetterStore {
  readonly #insert;
  readonly #list;

  constructor(db: Db) {
    this.#insert = db.prepare<[number, string, string, string, number | null, number, string, string], { id: number }>(
      'INSERT INTO notification_dead_letters (time_ms, topic, subscription, event_type, event_seq, attempts, last_error, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.#list = db.prepare<[number], Row>('SELECT * FROM notification_dead_letters ORDER BY id DESC LIMIT ?');
  }

  /** Records a dead letter; returns its id. */
  add(d: Omit<DeadLetter, 'id'>): number {
    return this.#insert.get(d.timeMs, d.topic, d.subscription, d.eventType, d.eventSeq ?? null, d.attempts, d.lastError, JSON.stringify(d.message))!.id;
  }

  /** The newest dead letters first. @param limit @default 100 */
  list(limit = 100): DeadLetter[] {
    return this.#list.all(limit).map((r) => ({
      id: r.id,
      timeMs: r.time_ms,
      topic: r.topic,
      subscription: r.subscription,
      eventType: r.event_type,
      eventSeq: r.event_seq ?? undefined,
      attempts: r.attempts,
      lastError: r.last_error,
      message: JSON.parse(r.message) as Record<string, unknown>,
    }));
  }
}
