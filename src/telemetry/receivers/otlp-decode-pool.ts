import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/index.js';
import { errorSpec } from '../../shared/index.js';
import { runOtlpDecodeJob, type OtlpDecodeJob, type OtlpDecodeOutput } from './otlp-decode-job.js';

/** Options of {@link OtlpDecodePool}. */
export interface OtlpDecodePoolOptions {
  /** Worker threads. @default `os.availableParallelism() - 1`, at least 1 */
  readonly size?: number;
  /**
   * Requests decoding or waiting for a worker; past it {@link OtlpDecodePool.tryRun} refuses
   * (the receiver answers 503 with `Retry-After`).
   * @default 64
   */
  readonly maxQueuedJobs?: number;
  /** Bytes of the bodies of those requests; past it `tryRun` refuses. @default 67_108_864 (64 MiB) */
  readonly maxQueuedBytes?: number;
  /** Where a worker's failure is logged. */
  readonly logger: Logger;
}

/** What a decode pool holds now. */
export interface OtlpDecodePoolStats {
  /** Workers running. */
  readonly workers: number;
  /** Requests decoding or waiting for a worker. */
  readonly queuedJobs: number;
  /** Bytes of their bodies. */
  readonly queuedBytes: number;
}

/** The default number of decode workers: every core but the one of the main thread, at least 1. */
export function defaultDecodeWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

interface Pending {
  readonly id: number;
  readonly job: OtlpDecodeJob;
  readonly bytes: number;
  readonly resolve: (output: OtlpDecodeOutput) => void;
}

interface Slot {
  worker: Worker;
  readonly inFlight: Map<number, Pending>;
  failures: number;
  dead: boolean;
}

// A worker holds at most this many jobs, so that the next is there when one finishes.
const PER_WORKER = 2;
// A worker that fails this many times in a row without finishing a job is not restarted.
const MAX_FAILURES = 3;

/**
 * A fixed pool of worker threads decoding OTLP requests to rows. Its queue is bounded in
 * requests and bytes: `tryRun` returns `undefined` when it is full, which is the
 * receiver's back-pressure. A worker that dies fails its jobs with an internal error and is
 * replaced; when no worker can be started, jobs are decoded on the calling thread.
 */
export class OtlpDecodePool {
  readonly #slots: Slot[] = [];
  readonly #waiting: Pending[] = [];
  readonly #maxJobs: number;
  readonly #maxBytes: number;
  readonly #logger: Logger;
  #jobs = 0;
  #bytes = 0;
  #nextId = 1;
  #closed = false;

  constructor(options: OtlpDecodePoolOptions) {
    this.#maxJobs = options.maxQueuedJobs ?? 64;
    this.#maxBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.#logger = options.logger;
    const size = options.size ?? defaultDecodeWorkers();
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn({ inFlight: new Map(), failures: 0, dead: false }));
  }

  /** Workers and what is queued. */
  stats(): OtlpDecodePoolStats {
    return { workers: this.#slots.filter((s) => !s.dead).length, queuedJobs: this.#jobs, queuedBytes: this.#bytes };
  }

  /** True when one more request would be refused whatever its size. */
  get full(): boolean {
    return this.#jobs >= this.#maxJobs || this.#bytes >= this.#maxBytes;
  }

  /**
   * Decodes a job in a worker, or returns `undefined` when the queue is full. The body is
   * copied once into a buffer that is moved (not copied again) to the worker.
   */
  tryRun(job: OtlpDecodeJob): Promise<OtlpDecodeOutput> | undefined {
    const bytes = job.body.byteLength;
    if (this.#closed || this.#jobs + 1 > this.#maxJobs || (this.#jobs > 0 && this.#bytes + bytes > this.#maxBytes)) return undefined;
    if (this.#slots.every((s) => s.dead)) return Promise.resolve(runOtlpDecodeJob(job));
    this.#jobs++;
    this.#bytes += bytes;
    return new Promise((resolve) => {
      this.#waiting.push({ id: this.#nextId++, job, bytes, resolve });
      this.#dispatch();
    });
  }

  /** Stops the workers; jobs not finished are answered as internal errors. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#waiting.splice(0)) this.#finish(p, stopped());
    await Promise.all(this.#slots.map(async (s) => {
      s.dead = true;
      await s.worker.terminate();
      for (const p of s.inFlight.values()) this.#finish(p, stopped());
      s.inFlight.clear();
    }));
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      let best: Slot | undefined;
      for (const s of this.#slots) if (!s.dead && s.inFlight.size < PER_WORKER && (best === undefined || s.inFlight.size < best.inFlight.size)) best = s;
      if (best === undefined) return;
      const p = this.#waiting.shift() as Pending;
      best.inFlight.set(p.id, p);
      // A copy the worker owns: the received body may share its memory with Node's buffer pool.
      const body = new Uint8Array(p.job.body);
      best.worker.postMessage({ id: p.id, job: { ...p.job, body } }, [body.buffer]);
    }
  }

  #finish(p: Pending, output: OtlpDecodeOutput): void {
    this.#jobs--;
    this.#bytes -= p.bytes;
    p.resolve(output);
  }

  #spawn(slot: Omit<Slot, 'worker'> & { worker?: Worker }): Slot {
    const worker = startWorker();
    worker.unref();
    const s = slot as Slot;
    s.worker = worker;
    worker.on('message', (m: { readonly id: number; readonly output: OtlpDecodeOutput }) => {
      const p = s.inFlight.get(m.id);
      if (p === undefined) return;
      s.inFlight.delete(m.id);
      s.failures = 0;
      this.#finish(p, m.output);
      this.#dispatch();
    });
    worker.on('error', (err) => this.#logger.error('OTLP decode worker failed', { err }));
    worker.on('exit', (code) => {
      if (this.#closed || s.worker !== worker) return;
      for (const p of s.inFlight.values()) this.#finish(p, { ok: false, status: 500, message: `the decode worker exited with code ${code}`, internal: true });
      s.inFlight.clear();
      s.failures++;
      if (s.failures >= MAX_FAILURES) {
        s.dead = true;
        this.#logger.error('OTLP decode worker keeps failing; not restarted', { failures: s.failures });
        // Jobs still waiting for a worker when none is left are decoded here.
        if (this.#slots.every((x) => x.dead)) for (const p of this.#waiting.splice(0)) this.#finish(p, runOtlpDecodeJob(p.job));
      } else this.#spawn(s);
      this.#dispatch();
    });
    return s;
  }
}

function stopped(): OtlpDecodeOutput {
  return { ok: false, status: 503, message: `${errorSpec('SLW_ERR_OTLP_OVERLOADED').message}: the receiver is stopping (SLW_ERR_OTLP_OVERLOADED)`, internal: false };
}

// Built, the worker is the .js file beside this one. From the TypeScript sources (tests),
// it is loaded through jiti, the TypeScript loader slipway already uses for app models.
function startWorker(): Worker {
  const compiled = new URL('./otlp-decode-worker.js', import.meta.url);
  if (existsSync(compiled)) return new Worker(compiled);
  const source = fileURLToPath(new URL('./otlp-decode-worker.ts', import.meta.url));
  const jiti = createRequire(import.meta.url).resolve('jiti');
  const boot = `require(${JSON.stringify(jiti)}).createJiti(${JSON.stringify(source)}).import(${JSON.stringify(source)})`;
  return new Worker(boot, { eval: true });
}
