import { checkPayload, eventSpecOf, InputError, SlipwayError, type EventType } from '../../shared/index.js';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import { EVENT_TYPE_PATTERN, MAX_EVENT_PAGE, type EventQuery, type NewCataloguedEvent, type NewCustomEvent, type NewEvent, type SlipwayEvent } from './model.js';

/** Called with each event after it is committed. */
export type EventListener = (event: SlipwayEvent) => void;

interface Row {
  seq: number;
  time_ms: number;
  type: string;
  subject: string;
  data: string;
}

/** Options of {@link EventLog}. */
export interface EventLogOptions {
  /** Where append times come from. @default systemClock */
  readonly clock?: Clock;
  /** Told of a listener that threw; the append has committed anyway. @default ignore */
  readonly onListenerError?: (err: unknown) => void;
  /**
   * Check every payload against its schema in the event catalog, and refuse one that does not match
   * (`SLW_ERR_EVENT_PAYLOAD_INVALID`). Without it an append checks only that its type is catalogued
   * (or `custom.*`) and that the payload is a JSON object: the full check costs a schema parse per
   * event, and the tests, where it is on, are what keeps writers and catalog in step.
   * @default {@link validatePayloadsByDefault}: on under vitest, `NODE_ENV=test` or `NODE_ENV=development`
   */
  readonly validatePayloads?: boolean;
}

/** Whether payload validation is on when {@link EventLogOptions.validatePayloads} is not given: in tests and development. */
export function validatePayloadsByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VITEST !== undefined || env.NODE_ENV === 'test' || env.NODE_ENV === 'development' || env.SLIPWAY_VALIDATE_EVENTS === '1';
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
  readonly #validatePayloads: boolean;

  constructor(db: Db, options: EventLogOptions = {}) {
    this.#db = db;
    this.#validatePayloads = options.validatePayloads ?? validatePayloadsByDefault();
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onListenerError ?? (() => {});
    // seq is max+1 under SQLite's write lock: gap-free even with writers in several processes.
    this.#insert = db.prepare<[number, string, string, string], Row>(
      `INSERT INTO events (seq, time_ms, type, subject, data)
       VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM events), ?, ?, ?, ?)
       RETURNING seq, time_ms, type, subject, data`,
    );
  }

  /** Appends one event of a catalogued type, with the payload the catalog describes, and returns it with its sequence number. */
  append<T extends EventType>(event: NewCataloguedEvent<T>): SlipwayEvent;
  /** Appends one `custom.*` annotation (free-form payload) and returns it with its sequence number. */
  append(event: NewCustomEvent): SlipwayEvent;
  append(event: NewEvent): SlipwayEvent {
    return this.appendAll([event])[0]!;
  }

  /** Appends several events atomically, in order; none is appended when one is invalid. */
  appendAll(events: readonly NewEvent[]): SlipwayEvent[] {
    events.forEach((e, i) => validate(e, events.length > 1 ? `[${i}].` : '', this.#validatePayloads));
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

function validate(e: NewEvent, at: string, full: boolean): void {
  if (typeof e.type !== 'string' || !EVENT_TYPE_PATTERN.test(e.type)) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}type: "${String(e.type)}" is not a dotted lowercase event type such as "deployment.traffic.shifted"`);
  }
  if (eventSpecOf(e.type) === undefined) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}type: "${e.type}" is not in the event catalog (src/shared/events) and does not start with "custom."`);
  }
  if (typeof e.subject !== 'string' || e.subject.length === 0 || e.subject.length > 512) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}subject: must be a non-empty string of at most 512 characters`);
  }
  if (e.data !== undefined && (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))) {
    throw new InputError('SLW_ERR_EVENT_INVALID', `${at}data: must be a JSON object`);
  }
  if (!full) return;
  const issues = checkPayload(e.type, e.data ?? {}).map((i) => ({ path: `${at}${i.path}`, message: i.message }));
  if (issues.length > 0) {
    const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new SlipwayError('SLW_ERR_EVENT_PAYLOAD_INVALID', `the payload of a "${e.type}" event does not match the event catalog: ${detail}`, { issues });
  }
}

function toEvent(r: Row): SlipwayEvent {
  return { seq: r.seq, timeMs: r.time_ms, type: r.type, subject: r.subject, data: JSON.parse(r.data) as Record<string, unknown> };
}
