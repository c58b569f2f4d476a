import type { UpstreamHandler, UpstreamRequest } from './dispatch.js';
import { UpstreamConnection, type ConnectionOwner, type ConnectionSettings } from './upstream-connection.js';
import { UpstreamError } from './upstream-error.js';

/** Options of one target's connection pool. */
export interface UpstreamPoolOptions {
  /** Keep-alive connections per target; more concurrent requests wait in a queue. @default 128 */
  readonly connectionsPerTarget?: number;
  /** Time allowed to open a connection to a target. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this long (shorter when the target hints less). @default 30000 */
  readonly keepAliveTimeoutMs?: number;
  /** Largest response head accepted from a target, bytes (Node's own server limit). @default 16384 */
  readonly maxHeaderBytes?: number;
}

interface Queued {
  readonly req: UpstreamRequest;
  readonly handler: UpstreamHandler;
}

/**
 * Keep-alive HTTP/1.1 connections to one target, one request at a time on each (no pipelining):
 * an idle connection is reused (the most recently used first), else a new one is opened up to
 * `connectionsPerTarget`, else the request waits for the next connection to come free.
 */
export class UpstreamPool implements ConnectionOwner {
  readonly #settings: ConnectionSettings;
  readonly #max: number;
  readonly #idle: UpstreamConnection[] = [];
  readonly #all = new Set<UpstreamConnection>();
  #queue: Queued[] = [];
  #closed = false;
  #onDrained: (() => void) | undefined;
  #drained: Promise<void> | undefined;

  constructor(host: string, port: number, options: UpstreamPoolOptions = {}) {
    this.#max = options.connectionsPerTarget ?? 128;
    this.#settings = {
      host,
      port,
      authority: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      connectTimeoutMs: options.connectTimeoutMs ?? 2000,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 30_000,
      maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024,
    };
  }

  /** Open connections (busy and idle). */
  get connections(): number {
    return this.#all.size;
  }

  /** Sends a request; its outcome goes to `handler`. After `close()` it fails with `UPSTREAM_CLOSED`. */
  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    if (this.#closed) {
      queueMicrotask(() => handler.onError(new UpstreamError('UPSTREAM_CLOSED', `the pool of ${this.#settings.authority} is closed`)));
      return;
    }
    const idle = this.#idle.pop();
    if (idle !== undefined) idle.run(req, handler);
    else if (this.#all.size < this.#max) this.#open(req, handler);
    else this.#queue.push({ req, handler });
  }

  #open(req: UpstreamRequest, handler: UpstreamHandler): void {
    this.#all.add(new UpstreamConnection(this.#settings, this, req, handler));
  }

  /** @internal */
  onIdle(conn: UpstreamConnection): void {
    const next = this.#queue.shift();
    if (next !== undefined) return conn.run(next.req, next.handler);
    if (this.#closed) {
      conn.destroy(new UpstreamError('UPSTREAM_CLOSED', 'pool closed'));
      return;
    }
    this.#idle.push(conn);
  }

  /** @internal */
  onGone(conn: UpstreamConnection): void {
    this.#all.delete(conn);
    const i = this.#idle.indexOf(conn);
    if (i >= 0) this.#idle.splice(i, 1);
    const next = this.#queue.length > 0 && this.#all.size < this.#max ? this.#queue.shift() : undefined;
    if (next !== undefined) this.#open(next.req, next.handler);
    this.#checkDrained();
  }

  /** @internal */
  retry(req: UpstreamRequest, handler: UpstreamHandler): void {
    // On a new connection, so a second stale socket cannot fail it again.
    this.#open(req, handler);
  }

  #checkDrained(): void {
    if (this.#onDrained === undefined || this.#all.size > 0) return;
    this.#onDrained();
    this.#onDrained = undefined;
  }

  /** Takes no more requests; resolves once queued and running ones have finished and every connection is closed. */
  close(): Promise<void> {
    this.#closed = true;
    this.#drained ??= new Promise<void>((resolve) => (this.#onDrained = resolve));
    for (const idle of this.#idle.splice(0)) idle.destroy(new UpstreamError('UPSTREAM_CLOSED', 'pool closed'));
    this.#checkDrained();
    return this.#drained;
  }

  /** Closes every connection now: running and queued requests fail with `UPSTREAM_CLOSED`. */
  destroy(): Promise<void> {
    const err = new UpstreamError('UPSTREAM_CLOSED', `the pool of ${this.#settings.authority} was destroyed`);
    const drained = this.close();
    for (const q of this.#queue.splice(0)) q.handler.onError(err);
    for (const conn of [...this.#all]) conn.destroy(err);
    return drained;
  }
}
