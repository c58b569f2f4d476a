import { alignToPeriod } from '../evaluation/index.js';

/**
 * When an alarm with `periodMs` is next due after `nowMs`: `delayMs` after the end of the period
 * that is open at `nowMs − delayMs` — just after each period closes, with time for the last
 * datapoints of the period to be written. Always later than `nowMs`.
 */
export function nextDueMs(nowMs: number, periodMs: number, delayMs: number): number {
  return alignToPeriod(nowMs - delayMs, periodMs) + periodMs + delayMs;
}
