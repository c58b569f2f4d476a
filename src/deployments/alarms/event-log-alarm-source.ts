import type { EventLog, SlipwayEvent } from '../../core/index.js';
import type { AlarmState } from '../../shared/index.js';
import type { AlarmListener, AlarmSource } from './alarm-source.js';

/** The event type an alarm's state change is recorded as. */
export const ALARM_STATE_CHANGED = 'alarm.state.changed';
const STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/**
 * The alarm name and new state an `alarm.state.changed` event carries:
 * `data.alarm` (or `data.name`, or the subject `alarm/<name>`) and
 * `data.state` (or `data.newState`). Undefined for events of another shape.
 */
export function parseAlarmEvent(e: Pick<SlipwayEvent, 'subject' | 'data'>): { alarm: string; state: AlarmState } | undefined {
  const d = e.data as Record<string, unknown>;
  const alarm = typeof d.alarm === 'string' ? d.alarm : typeof d.name === 'string' ? d.name : e.subject.startsWith('alarm/') ? e.subject.slice(6) : undefined;
  const state = typeof d.state === 'string' ? d.state : d.newState;
  if (alarm === undefined || typeof state !== 'string' || !STATES.has(state)) return undefined;
  return { alarm, state: state as AlarmState };
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
