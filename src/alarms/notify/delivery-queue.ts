import type { Logger } from '../../core/index.js';
import type { NotificationMessage, Subscription } from './model.js';
import { DeliveryError, type DeliveryContext, type SecretSource, type Transport } from './transports/index.js';

/** One message for one subscription of one topic. */
export interface Delivery {
  readonly message: NotificationMessage;
  readonly topic: string;
  readonly subscription: Subscription;
}

/** Retry and timeout settings of deliveries. */
export interface DeliveryPolicy {
  /** Deliveries in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Time limit of one attempt. @default 5000 */
  readonly timeoutMs?: number;
  /** Attempts before a delivery is dead-lettered. @default 5 */
  readonly maxAttempts?: number;
  /** Wait before the first retry; doubles after each failure. @default 1000 */
  readonly backoffBaseMs?: number;
  /** Longest wait between attempts. @default 60_000 */
  readonly backoffMaxMs?: number;
}

/** What the queue reports; the notifier turns these into events and dead letters. */
export interface DeliveryHooks {
  sent(d: Delivery, attempts: number): void;
  failed(d: Delivery, attempt: number, error: string, retryInMs: number | undefined): void;
  deadLettered(d: Delivery, attempts: number, error: string): void;
}

/** The wait before retry number `attempt` (1-based): base × 2^(attempt−1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

interface Job extends Delivery {
  attempt: number;
}

/**
 * Delivers notifications off the evaluator's path: a bounded number in flight, each attempt under a
 * timeout, failures retried with exponential backoff and dead-lettered after `maxAttempts`. A
 * subscriber that hangs or fails holds one slot for one timeout per attempt, never the caller.
 */
export class DeliveryQueue {
  readonly #transport: Transport;
  readonly #hooks: DeliveryHooks;
  readonly #secrets: SecretSource;
  readonly #baseDir: string;
  readonly #logger: Logger;
  readonly #p: Required<DeliveryPolicy>;
  readonly #ready: Job[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inflight = new Set<AbortController>();
  readonly #idleWaiters: (() => void)[] = [];
  #active = 0;
  #closed = false;

  constructor(options: { transport: Transport; hooks: DeliveryHooks; secrets: SecretSource; baseDir: string; logger: Logger; policy?: DeliveryPolicy }) {
    this.#transport = options.transport;
    this.#hooks = options.hooks;
    this.#secrets = options.secrets;
    this.#baseDir = options.baseDir;
    this.#logger = options.logger;
    const p = options.policy ?? {};
    this.#p = { concurrency: p.concurrency ?? 4, timeoutMs: p.timeoutMs ?? 5000, maxAttempts: p.maxAttempts ?? 5, backoffBaseMs: p.backoffBaseMs ?? 1000, backoffMaxMs: p.backoffMaxMs ?? 60_000 };
  }

  /** Queues a delivery; returns at once. */
  enqueue(d: Delivery): void {
    if (this.#closed) return;
    this.#ready.push({ ...d, attempt: 1 });
    this.#pump();
  }

  /** Deliveries waiting, in flight, or waiting for a retry. */
  pending(): number {
    return this.#ready.length + this.#active + this.#timers.size;
  }

  /** Resolves when nothing is waiting, in flight or scheduled for a retry. */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops: aborts attempts in flight and drops scheduled retries (logged). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const dropped = this.#ready.length + this.#timers.size;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#ready.length = 0;
    for (const c of this.#inflight) c.abort();
    if (dropped > 0) this.#logger.warn('notifications dropped at shutdown', { dropped });
    this.#checkIdle();
  }

  #pump(): void {
    while (!this.#closed && this.#active < this.#p.concurrency && this.#ready.length > 0) {
      const job = this.#ready.shift()!;
      this.#active++;
      void this.#attempt(job).finally(() => {
        this.#active--;
        this.#pump();
        this.#checkIdle();
      });
    }
  }

  async #attempt(job: Job): Promise<void> {
    const controller = new AbortController();
    this.#inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.#p.timeoutMs);
    const ctx: DeliveryContext = { signal: controller.signal, timeoutMs: this.#p.timeoutMs, secrets: this.#secrets, baseDir: this.#baseDir };
    try {
      await raceAbort(this.#transport(job.message, job.topic, job.subscription, ctx), controller.signal);
      this.#safely(() => this.#hooks.sent(job, job.attempt));
    } catch (err) {
      const error = controller.signal.aborted && !(err instanceof DeliveryError) ? 'timed out' : (err as Error).message;
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      if (this.#closed) return;
      if (!retryable || job.attempt >= this.#p.maxAttempts) {
        this.#safely(() => this.#hooks.failed(job, job.attempt, error, undefined));
        this.#safely(() => this.#hooks.deadLettered(job, job.attempt, error));
        return;
      }
      const wait = backoffMs(job.attempt, this.#p.backoffBaseMs, this.#p.backoffMaxMs);
      this.#safely(() => this.#hooks.failed(job, job.attempt, error, wait));
      const t = setTimeout(() => {
        this.#timers.delete(t);
        this.#ready.push({ ...job, attempt: job.attempt + 1 });
        this.#pump();
      }, wait);
      t.unref();
      this.#timers.add(t);
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(controller);
    }
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#logger.error('notification hook failed', { err });
    }
  }

  #checkIdle(): void {
    if (this.pending() > 0 && !this.#closed) return;
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}

/** Settles with `promise`, or rejects when `signal` aborts first (a transport that ignores its signal cannot hold a slot). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DeliveryError('timed out'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
