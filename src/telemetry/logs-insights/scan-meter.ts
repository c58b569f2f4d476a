import type { Clock } from '../../core/index.js';
import { QueryBudgetError, type CompiledQueryBudget } from './budget.js';
import { utf8Length } from './values.js';

/** Options of a {@link ScanMeter}. */
export interface ScanMeterOptions {
  /** Look at the clock after this many records. */
  readonly checkEveryRecords: number;
  /** Ask the scan to yield to the event loop after this long without yielding, ms; `undefined`: never. */
  readonly yieldEveryMs: number | undefined;
}

/**
 * Counts what a scan reads and holds it to its budget, cooperatively: the scan calls
 * {@link ScanMeter.count} before each record, which throws once a budget is used up and says
 * when the scan should yield to the event loop so the rest of the process keeps answering.
 */
export class ScanMeter {
  #records = 0;
  #bytes = 0;
  #sinceCheck = 0;
  readonly #startMs: number;
  #lastYieldMs: number;

  constructor(
    private readonly budget: CompiledQueryBudget,
    private readonly clock: Clock,
    private readonly options: ScanMeterOptions,
  ) {
    this.#startMs = clock.now();
    this.#lastYieldMs = this.#startMs;
  }

  /** Records read so far. */
  get recordsScanned(): number {
    return this.#records;
  }

  /** UTF-8 bytes of the messages read so far. */
  get bytesScanned(): number {
    return this.#bytes;
  }

  /**
   * Counts a record about to be read.
   * @returns `true` when the scan should {@link ScanMeter.pause} before reading it
   * @throws QueryBudgetError when reading it would pass the record budget, or time is up
   */
  count(message: string): boolean {
    if (this.#records >= this.budget.maxRecordsScanned) {
      throw new QueryBudgetError('maxRecordsScanned', this.budget.maxRecordsScanned, this.#records);
    }
    this.#records++;
    this.#bytes += utf8Length(message);
    if (++this.#sinceCheck < this.options.checkEveryRecords) return false;
    this.#sinceCheck = 0;
    const now = this.checkTime();
    const { yieldEveryMs } = this.options;
    return yieldEveryMs !== undefined && now - this.#lastYieldMs >= yieldEveryMs;
  }

  /** Lets the event loop run (timers, I/O, other requests) once, then resumes the scan. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#lastYieldMs = this.clock.now();
  }

  /**
   * Throws when the time budget is used up.
   * @returns the clock's time
   */
  checkTime(): number {
    const now = this.clock.now();
    if (now - this.#startMs > this.budget.timeoutMs) throw new QueryBudgetError('timeoutMs', this.budget.timeoutMs, this.#records);
    return now;
  }
}
