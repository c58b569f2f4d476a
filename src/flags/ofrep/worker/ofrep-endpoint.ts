import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { UnavailableError } from '../../../shared/index.js';
import type { ImpressionRecorder } from '../../impressions/impression-counter.js';
import type { StoredFlag } from '../../store/model.js';
import type { FromOfrepWorker, OfrepWorkerData, SnapshotMessage, ToOfrepWorker } from './protocol.js';

/** Options of {@link OfrepEndpoint}. */
export interface OfrepEndpointOptions {
  /** The flags served: every stored flag, and a signal after each change (`FlagStore`). */
  readonly store: { all(): readonly StoredFlag[]; onChange(listener: () => void): () => void };
  /** The flag signing secret (`<data>/flags-key`), so the worker checks tokens as the API server does. */
  readonly secret: string;
  /** Where the worker's evaluations are counted, in batches. */
  readonly impressions: ImpressionRecorder;
  /** The address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The port wanted; when it is taken at the first start, one is picked. 0 picks one. @default 0 */
  readonly port?: number;
  /** Time between the worker's impression batches, ms. @default 250 */
  readonly impressionBatchMs?: number;
  /** The largest request body, bytes. @default 1048576, as the API server's */
  readonly bodyLimitBytes?: number;
  /** The first wait before a worker that died is started again, ms; doubles per failure up to 5 s. @default 100 */
  readonly restartDelayMs?: number;
  /** Told of each failure: a worker that died (it is restarted), a request that failed in it. @default ignore */
  readonly onError?: (message: string, err: unknown) => void;
  /** The compiled worker entry. @default `ofrep-worker.js` beside this module, else in `dist/` (running from source) */
  readonly workerFile?: string;
}

const MAX_RESTART_DELAY_MS = 5_000;
// Failures to listen because the wanted port is taken.
const addressInUse = new WeakSet<Error>();
// A worker that stops answering a flush or a close within this is not waited for.
const REPLY_TIMEOUT_MS = 2_000;

/**
 * OFREP served off the control plane's main event loop: a worker thread with its own HTTP listener
 * on loopback, answering from the same flags as the API server's routes. Each flag change is
 * posted to the worker as it commits (the worker reads pending snapshots before every request, so an
 * evaluation that arrives after the change sees it); evaluations come back as impression batches.
 * Supervised: a worker that dies is logged and started again on the same port, with back-off.
 *
 * @example
 * const endpoint = new OfrepEndpoint({ store, secret, impressions });
 * const url = await endpoint.start(); // http://127.0.0.1:<port>, the tasks' SLIPWAY_FLAGS_URL
 * await endpoint.close();
 */
export class OfrepEndpoint {
  readonly #o: OfrepEndpointOptions;
  readonly #host: string;
  #port: number;
  #worker: Worker | undefined;
  #snapshots: MessagePort | undefined;
  #stopWatching: (() => void) | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #restartDelayMs: number;
  #restarts = 0;
  #closing = false;
  #flushId = 0;
  readonly #flushes = new Map<number, () => void>();

  constructor(options: OfrepEndpointOptions) {
    this.#o = options;
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#restartDelayMs = options.restartDelayMs ?? 100;
  }

  /** The base URL OFREP providers are given (they append `/ofrep/v1/…`); known once started. */
  get url(): string {
    return `http://${this.#host.includes(':') ? `[${this.#host}]` : this.#host}:${this.#port}`;
  }

  /** The port listened on (0 before the start). */
  get port(): number {
    return this.#port;
  }

  /** How many times a worker that died was started again. */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * Starts the worker and resolves with the URL once it listens. A wanted port that is taken is
   * given up for a picked one (the first start only: later restarts keep the port tasks were told).
   * @throws {UnavailableError} `SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE` when the worker cannot start or listen
   */
  async start(): Promise<string> {
    this.#stopWatching ??= this.#o.store.onChange(() => this.#post());
    try {
      await this.#spawn();
    } catch (err) {
      if (this.#port === 0 || !addressInUse.has(err as Error)) throw err;
      this.#port = 0;
      await this.#spawn();
    }
    return this.url;
  }

  /** Resolves once the impressions the worker counted so far are recorded (at once when no worker runs). */
  flush(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.resolve();
    const id = ++this.#flushId;
    return new Promise((resolve) => {
      const timer = setTimeout(done, REPLY_TIMEOUT_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#flushes.set(id, done);
      worker.postMessage({ type: 'flush', id } satisfies ToOfrepWorker);
    });
  }

  /** Stops the listener and the worker, after its last impressions are recorded. Idempotent. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#restartTimer);
    this.#stopWatching?.();
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (m: FromOfrepWorker) => m.type === 'closed' && resolve());
    });
    worker.postMessage({ type: 'close' } satisfies ToOfrepWorker);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, REPLY_TIMEOUT_MS).unref());
    await Promise.race([closed, exited, timeout]);
    await worker.terminate();
    await exited;
  }

  // Every stored flag, to the running worker: posted in the change's own turn of the event loop.
  #post(): void {
    this.#snapshots?.postMessage({ flags: this.#o.store.all() } satisfies SnapshotMessage);
  }

  #spawn(): Promise<void> {
    const file = this.#o.workerFile ?? workerEntry();
    const channel = new MessageChannel();
    const data: OfrepWorkerData = {
      secret: this.#o.secret,
      host: this.#host,
      port: this.#port,
      flags: this.#o.store.all(),
      snapshots: channel.port2,
      impressionBatchMs: this.#o.impressionBatchMs ?? 250,
      bodyLimitBytes: this.#o.bodyLimitBytes ?? 1024 * 1024,
    };
    const worker = new Worker(file, { workerData: data, transferList: [channel.port2] });
    this.#worker = worker;
    this.#snapshots = channel.port1;
    return new Promise<void>((resolve, reject) => {
      let listening = false;
      worker.on('message', (m: FromOfrepWorker) => {
        if (m.type === 'listening') {
          listening = true;
          this.#port = m.port;
          this.#restartDelayMs = this.#o.restartDelayMs ?? 100;
          resolve();
        } else if (m.type === 'listen-failed') {
          const err = new UnavailableError('SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE', `the OFREP worker could not listen on ${this.#host}:${this.#port}: ${m.message}`);
          if (m.code === 'EADDRINUSE') addressInUse.add(err);
          reject(err);
        } else if (m.type === 'impressions') {
          for (const { impression, count } of m.batch) this.#o.impressions.record(impression, count);
          if (m.id !== undefined) this.#flushes.get(m.id)?.();
          if (m.id !== undefined) this.#flushes.delete(m.id);
        } else if (m.type === 'request-failed') {
          this.#o.onError?.('an OFREP request failed in the worker', Object.assign(new Error(m.message), { stack: m.stack }));
        }
      });
      worker.on('error', (err) => {
        if (!listening) reject(new UnavailableError('SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE', `the OFREP worker did not start: ${err.message}`, { cause: err }));
        else this.#o.onError?.('the OFREP worker failed', err);
      });
      worker.on('exit', (code) => {
        channel.port1.close();
        if (this.#worker === worker) {
          this.#worker = undefined;
          this.#snapshots = undefined;
        }
        for (const done of this.#flushes.values()) done();
        this.#flushes.clear();
        if (!listening) return reject(new UnavailableError('SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE', `the OFREP worker exited with code ${code} before it listened`));
        if (!this.#closing) this.#restartLater(code);
      });
    });
  }

  #restartLater(code: number): void {
    const delayMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
    this.#o.onError?.(`the OFREP worker exited (code ${code}); starting it again in ${delayMs} ms`, undefined);
    this.#restartTimer = setTimeout(() => {
      if (this.#closing) return;
      this.#restarts += 1;
      this.#spawn().catch((err: unknown) => {
        this.#o.onError?.('the OFREP worker did not start again', err);
        // A worker that never listened schedules no restart of its own (see the exit handler).
        if (!this.#closing) this.#restartLater(1);
      });
    }, delayMs);
  }
}

/** The compiled worker entry: beside this module in dist/, or in dist/ when running from source (tests). */
function workerEntry(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const sibling = path.join(here, 'ofrep-worker.js');
  if (fs.existsSync(sibling)) return sibling;
  const built = path.resolve(here, '../../../../dist/src/flags/ofrep/worker/ofrep-worker.js');
  if (fs.existsSync(built)) return built;
  throw new UnavailableError('SLW_ERR_FLAG_ENDPOINT_UNAVAILABLE', `the compiled OFREP worker is missing (${built}); run \`npm run build\``);
}
