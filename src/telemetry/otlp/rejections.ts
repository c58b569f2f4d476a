import type { TimeWindow } from '../model/index.js';
import { MAX_ANY_VALUE_DEPTH, type DepthCuts } from './any-value.js';

/** Why an item of an OTLP request was rejected. */
export type RejectReason = 'InvalidId' | 'TimestampOutOfRange' | 'InvalidValue';

const DESCRIPTION: Readonly<Record<RejectReason, string>> = {
  InvalidId: 'an invalid trace or span id (SLW_ERR_OTLP_INVALID_ID)',
  TimestampOutOfRange: 'a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE)',
  InvalidValue: 'no valid value (SLW_ERR_OTLP_MALFORMED)',
};

/**
 * Counts rejected items by reason, and values cut for their depth (the item is kept),
 * and words the partial-success message.
 */
export class Rejections implements DepthCuts {
  readonly #counts = new Map<RejectReason, number>();
  #cut = 0;

  /** Records one value cut to null at {@link MAX_ANY_VALUE_DEPTH}. */
  cut(): void {
    this.#cut += 1;
  }

  /** Number of values cut for their depth. */
  get cutValues(): number {
    return this.#cut;
  }

  /** Records one rejected item. */
  add(reason: RejectReason): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
  }

  /** Number of rejected items. */
  get total(): number {
    let total = 0;
    for (const n of this.#counts.values()) total += n;
    return total;
  }

  /**
   * The partial-success `error_message`, or `undefined` when nothing was rejected nor cut.
   * With nothing rejected but values cut, it is a warning (`rejected` stays 0).
   * @example "rejected 2 of 5 spans: 1 with an invalid trace or span id (...); 1 with a timestamp ..."
   */
  message(itemsName: string, received: number, window: TimeWindow): string | undefined {
    const cut = this.#cut === 0 ? undefined : `${this.#cut} attribute or body value${this.#cut === 1 ? ' was' : 's were'} nested deeper than ${MAX_ANY_VALUE_DEPTH} levels and cut to null`;
    const rejected = this.#rejectedMessage(itemsName, received, window);
    if (rejected === undefined) return cut;
    return cut === undefined ? rejected : `${rejected}; ${cut}`;
  }

  #rejectedMessage(itemsName: string, received: number, window: TimeWindow): string | undefined {
    if (this.total === 0) return undefined;
    const parts = [...this.#counts].map(([reason, n]) => `${n} with ${DESCRIPTION[reason]}`);
    const range = this.#counts.has('TimestampOutOfRange')
      ? `; accepted times are ${new Date(window.fromMs).toISOString()} to ${new Date(window.toMs).toISOString()}`
      : '';
    return `rejected ${this.total} of ${received} ${itemsName}: ${parts.join('; ')}${range}`;
  }
}
