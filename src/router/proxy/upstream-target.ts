import { UpstreamPool, type UpstreamPoolOptions } from './upstream/upstream-pool.js';

export type { UpstreamPoolOptions };

/**
 * One upstream endpoint and its live state. The same object survives routing-table
 * swaps while the target stays in the table, so its outstanding-request count and
 * its keep-alive connections carry over.
 */
export class UpstreamTarget {
  /** Requests sent to this target and not yet finished. */
  outstanding = 0;
  /** Whether the table marks it healthy (only healthy targets get new requests). */
  healthy = true;
  /** Removed from the table: no new requests, in-flight ones finish. */
  draining = false;
  /** Keep-alive connections to the target. */
  readonly pool: UpstreamPool;
  /** `host:port`, as the access log names the target. */
  readonly address: string;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    options: UpstreamPoolOptions,
  ) {
    this.pool = new UpstreamPool(host, port, options);
    this.address = `${host}:${port}`;
  }
}

/** Key identifying a target across tables. */
export function targetKey(id: string, host: string, port: number): string {
  return `${id}@${host}:${port}`;
}

/**
 * The targets of the current table by key. Compiling a new table reuses the
 * objects of targets that stay and drains the ones that leave.
 */
export class TargetRegistry {
  readonly #targets = new Map<string, UpstreamTarget>();
  readonly #draining = new Set<UpstreamTarget>();

  constructor(private readonly options: UpstreamPoolOptions = {}) {}

  /** The target with this identity, reused when it exists. */
  obtain(id: string, host: string, port: number): UpstreamTarget {
    const key = targetKey(id, host, port);
    let t = this.#targets.get(key);
    if (t === undefined) {
      t = new UpstreamTarget(id, host, port, this.options);
      this.#targets.set(key, t);
    }
    return t;
  }

  /**
   * Drains every target not in `keep`: it takes no new requests, its pool closes
   * once its in-flight requests have finished.
   */
  retainOnly(keep: ReadonlySet<UpstreamTarget>): void {
    for (const [key, t] of this.#targets) {
      if (keep.has(t)) continue;
      this.#targets.delete(key);
      t.draining = true;
      this.#draining.add(t);
      // Pool.close waits for queued and running requests, then closes the sockets.
      t.pool.close().then(
        () => this.#draining.delete(t),
        () => this.#draining.delete(t),
      );
    }
  }

  /** Targets removed from the table whose in-flight requests have not all finished. */
  drainingTargets(): readonly UpstreamTarget[] {
    return [...this.#draining];
  }

  /** Closes every pool; in-flight requests are aborted after `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    const all = [...this.#targets.values(), ...this.#draining];
    this.#targets.clear();
    await Promise.all(
      all.map(async (t) => {
        const timer = setTimeout(() => void t.pool.destroy().catch(() => undefined), graceMs);
        try {
          await t.pool.close();
        } catch {
          // Already closed or destroyed: nothing left to wait for.
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}
