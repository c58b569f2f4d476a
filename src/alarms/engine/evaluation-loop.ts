import type { Clock, Logger } from '../../core/index.js';
import type { CompiledMetricAlarm } from './compile-alarms.js';
import { nextDueMs } from './schedule.js';

/** Options of {@link EvaluationLoop}. */
export interface EvaluationLoopOptions {
  readonly alarms: readonly CompiledMetricAlarm[];
  readonly clock: Clock;
  /** How long after a period closes its alarms are evaluated. */
  readonly delayMs: number;
  /** Runs one round for the alarms that are due. Must not throw (the loop logs if it does). */
  readonly run: (due: readonly CompiledMetricAlarm[], nowMs: number) => Promise<unknown>;
  readonly logger: Logger;
}

/**
 * One timer for every alarm: alarms are grouped by period, each group is due `delayMs` after each
 * of its periods closes, and the timer sleeps until the earliest due group. Alarms due at the same
 * moment are evaluated in one round (so one query serves all alarms on a series).
 */
export class EvaluationLoop {
  readonly #o: EvaluationLoopOptions;
  readonly #byPeriod = new Map<number, CompiledMetricAlarm[]>();
  readonly #due = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: EvaluationLoopOptions) {
    this.#o = options;
    for (const a of options.alarms) {
      const list = this.#byPeriod.get(a.settings.periodMs);
      if (list === undefined) this.#byPeriod.set(a.settings.periodMs, [a]);
      else list.push(a);
    }
  }

  /** Starts the timer. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const now = this.#o.clock.now();
    for (const p of this.#byPeriod.keys()) this.#due.set(p, nextDueMs(now, p, this.#delayFor(p)));
    this.#arm();
  }

  /** Stops the timer; a round in progress completes. */
  close(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The delay never reaches the period: a period's evaluation must happen before the next one closes. */
  #delayFor(periodMs: number): number {
    return Math.min(this.#o.delayMs, Math.floor(periodMs / 2));
  }

  #arm(): void {
    if (!this.#running || this.#due.size === 0) return;
    const earliest = Math.min(...this.#due.values());
    this.#timer = setTimeout(() => void this.#fire(), Math.max(0, earliest - this.#o.clock.now()));
    this.#timer.unref();
  }

  async #fire(): Promise<void> {
    this.#timer = undefined;
    if (!this.#running) return;
    const now = this.#o.clock.now();
    const due: CompiledMetricAlarm[] = [];
    for (const [p, at] of this.#due) {
      if (at > now) continue;
      due.push(...(this.#byPeriod.get(p) ?? []));
      this.#due.set(p, nextDueMs(now, p, this.#delayFor(p)));
    }
    if (due.length > 0) {
      try {
        await this.#o.run(due, now);
      } catch (err) {
        this.#o.logger.error('alarm evaluation round failed', { err });
      }
    }
    this.#arm();
  }
}
