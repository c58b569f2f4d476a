/**
 * Runs async jobs one at a time, in the order they were queued. A job that
 * fails rejects its own promise only; the next job runs all the same.
 *
 * @example
 * const queue = new SerialQueue();
 * await Promise.all([queue.run(a), queue.run(b)]); // b starts once a has settled
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues `fn`; resolves or rejects with its result once it has run. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
