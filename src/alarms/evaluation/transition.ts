import type { AlarmState, Evaluation } from './model.js';

/** One entry of an alarm's state history. */
export interface StateHistoryEntry {
  /** When the state changed. */
  readonly timeMs: number;
  /** The state before. */
  readonly oldState: AlarmState;
  /** The state after. */
  readonly newState: AlarmState;
  /** Why, from the evaluation. */
  readonly reason: string;
}

/** The result of `transition`: whether the state changed and, if so, the history entry to append. */
export interface Transition {
  /** Whether the evaluation changed the state. */
  readonly changed: boolean;
  /** The history entry, present only when `changed`. */
  readonly entry?: StateHistoryEntry;
}

/** Compares an evaluation with the previous state; a change yields the history entry to record at `timeMs`. */
export function transition(prev: AlarmState, evaluation: Evaluation, timeMs: number): Transition {
  if (prev === evaluation.state) return { changed: false };
  return { changed: true, entry: { timeMs, oldState: prev, newState: evaluation.state, reason: evaluation.reason } };
}
