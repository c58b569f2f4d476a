import type { AlarmState } from '../../shared/index.js';

/** Called when an alarm changes state. */
export type AlarmListener = (alarm: string, state: AlarmState) => void;

/**
 * Where the deploy engine learns alarm states (the extension point the alarm
 * engine plugs into). Alarms it has never heard of are INSUFFICIENT_DATA.
 */
export interface AlarmSource {
  /** The current state of each named alarm. */
  currentStates(names: readonly string[]): Map<string, AlarmState>;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: AlarmListener): () => void;
}

/** An alarm source whose states a test sets by hand. */
export class StaticAlarmSource implements AlarmSource {
  readonly #states = new Map<string, AlarmState>();
  readonly #listeners = new Set<AlarmListener>();

  /** Sets an alarm's state and tells the listeners. */
  set(alarm: string, state: AlarmState): void {
    this.#states.set(alarm, state);
    for (const l of this.#listeners) l(alarm, state);
  }

  currentStates(names: readonly string[]): Map<string, AlarmState> {
    return new Map(names.map((n) => [n, this.#states.get(n) ?? 'INSUFFICIENT_DATA']));
  }

  subscribe(listener: AlarmListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
