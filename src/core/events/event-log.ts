import { InputError } from '../../shared/index.js';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import { EVENT_TYPE_PATTERN, MAX_EVENT_PAGE, type EventQuery, type NewEvent, type SlipwayEvent } from './model.js';

/** Called with each event after it is committed. */
export type EventListener = (event: SlipwayEvent) => void;

interface Row {
  seq: number;
  time_ms: number;
  type: string;
  subject: string;
  data: string;
}

/**
 * The append-only, ordered, durable log every state change goes through.
 * An append has committed (and, with `synchronous=FULL`, reached the disk)
 * when the call returns; listeners hear of it only after that.
 */
export class EventLog {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #listeners = new Set<EventListener>();
  readonly #insert;
  readonly #onError: (err: unknown) => void;

  constructor(db: Db, options: { clock?: Clock; onListenerError?: (err: unknown) => void } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onListenerError ?? (() => {});
    // seq is max+1 under SQLite's write lock: gap-free even with writers in several processes.
    this.#insert = db.prepare<[number, string, string, string], Row>(
      `INSERT INTO events (seq, time_ms, type, subject, data)
       VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM events), ?, ?, ?, ?)
       RETURNING seq, time_ms, type, subject, data`,
    );
  }

  /** Appends one event and returns it with its sequence number. */
  append(event: NewEvent): SlipwayEvent {
    return this.appendAll([event])[0]!;
  }

  /** Appends several events atomically, in order. */
  appendAll(events: readonly NewEvent[]): SlipwayEvent[] {
    events.forEach((e, i) => validate(e, events.length > 1 ? `[${i}].` : ''));
    const rows = this.#db
      .transaction(() => events.map((e) => this.#insert.get(this.#clock.now(), e.type, e.subject, JSON.stringify(e.data ?? {}))!))
      .immediate();
    const appended = rows.map(toEvent);
    for (const e of appended) this.#emit(e);
    return appended;
  }

  /** Events matching `query`, oldest first. */
  list(query: EventQuery = {}): SlipwayEvent[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.type !== undefined) {
      where.push('(type = ? OR type LIKE ? ESCAPE \'\\\')');
      params.push(query.type, `${query.type.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`);
    }
    if (query.subject !== undefined) {
      where.push('subject = ?');
      params.push(query.subject);
    }
    if (query.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(query.afterSeq);
    }
    if (query.sinceMs !== undefined) {
      where.push('time_ms >= ?');
      params.push(query.sinceMs);
    }
    if (query.untilMs !== undefined) {
      where.push('time_ms < ?');
      params.push(query.untilMs);
    }
    const limit = Math.min(Math.max(1, query.limit ?? 1000), MAX_EVENT_PAGE);
    const sql = `SELECT seq, time_ms, type, subject, data FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${limit}`;
    return this.#db.prepare<(string | number)[], Row>(sql).all(...params).map(toEvent);
  }

  /** The sequence number of the newest event, 0 when the log is empty. */
  lastSeq(): number {
    return this.#db.prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get()!.seq;
  }

  /** Calls `listener` with every event appended from now on, in order. Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: SlipwayEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (err) {
        // A faulty listener must not stop the others nor the writer, whose append has committed.
        this.#onError(err);
      }
    }
  }
}

function validate(e: NewEvent, at: string): void {
  if (typeof e.type !== 'string' || !EVENT_TYPE_PATTERN.test(e.type)) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}type: "${String(e.type)}" is not a dotted lowercase event type such as "deployment.traffic.shifted"`);
  }
  if (typeof e.subject !== 'string' || e.subject.length === 0 || e.subject.length > 512) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}subject: must be a non-empty string of at most 512 characters`);
  }
  if (e.data !== undefined && (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}data: must be a JSON object`);
  }
}

function toEvent(r: Row): SlipwayEvent {
  return { seq: r.seq, timeMs: r.time_ms, type: r.type, subject: r.subject, data: JSON.parse(r.data) as Record<string, unknown> };
}
