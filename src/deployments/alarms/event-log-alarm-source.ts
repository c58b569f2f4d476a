import type { EventLog, SlipwayEvent } from '../../core/index.js';
import { ALARM_STATE_CHANGED, payloadOf, type AlarmState } from '../../shared/index.js';
import type { AlarmListener, AlarmSource } from './alarm-source.js';

export { ALARM_STATE_CHANGED };

/**
 * The alarm name and new state an `alarm.state.changed` event carries, read through the event catalog
 * (which also reads the first version's `name`/`state`). Undefined for events of another shape.
 */
export function parseAlarmEvent(e: Pick<SlipwayEvent, 'subject' | 'data'>): { alarm: string; state: AlarmState } | undefined {
  const p = payloadOf({ type: ALARM_STATE_CHANGED, subject: e.subject, data: e.data }, ALARM_STATE_CHANGED);
  return p === undefined ? undefined : { alarm: p.alarm, state: p.newState };
}

/** Options of {@link EventLogAlarmSource}. */
export interface EventLogAlarmSourceOptions {
  /**
   * Period of the check for events other processes appended (the log's
   * in-process subscription only hears this process's appends). @default 20
   */
  readonly pollIntervalMs?: number;
}

/**
 * Alarm states as the event log tells them: the last `alarm.state.changed`
 * of each alarm. Hears appends of this process at once, and those of other
 * processes (a future alarm engine, a test) within `pollIntervalMs`.
 */
export class EventLogAlarmSource implements AlarmSource {
  readonly #events: EventLog;
  readonly #states = new Map<string, AlarmState>();
  readonly #listeners = new Set<AlarmListener>();
  #lastSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  #off: (() => void) | undefined;

  constructor(events: EventLog, options: EventLogAlarmSourceOptions = {}) {
    this.#events = events;
    this.#catchUp();
    this.#off = events.subscribe((e) => {
      if (e.type === ALARM_STATE_CHANGED) this.#catchUp();
    });
    this.#timer = setInterval(() => this.#catchUp(), options.pollIntervalMs ?? 20);
    this.#timer.unref();
  }

  currentStates(names: readonly string[]): Map<string, AlarmState> {
    this.#catchUp();
    return new Map(names.map((n) => [n, this.#states.get(n) ?? 'INSUFFICIENT_DATA']));
  }

  subscribe(listener: AlarmListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops watching. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#off?.();
    this.#off = undefined;
  }

  #catchUp(): void {
    for (;;) {
      const page = this.#events.list({ type: ALARM_STATE_CHANGED, afterSeq: this.#lastSeq, limit: 1000 });
      for (const e of page) {
        this.#lastSeq = e.seq;
        const parsed = parseAlarmEvent(e);
        if (!parsed || this.#states.get(parsed.alarm) === parsed.state) continue;
        this.#states.set(parsed.alarm, parsed.state);
        for (const l of this.#listeners) l(parsed.alarm, parsed.state);
      }
      if (page.length < 1000) return;
    }
  }
}
