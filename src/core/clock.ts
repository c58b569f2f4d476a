/** Where time comes from. Inject it so tests control time instead of sleeping. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#nowMs = startMs;
  }
  now(): number {
    return this.#nowMs;
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.#nowMs += ms;
  }
  /** Sets the time. */
  set(ms: number): void {
    this.#nowMs = ms;
  }
}
