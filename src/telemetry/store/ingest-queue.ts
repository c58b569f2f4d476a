import type { Logger } from '../../core/index.js';
import type { MetricPoint, Span } from '../model/index.js';
import type { LogEntry } from './log-entry.js';
import type { LogRow } from './log-row.js';
import type { SpanRow } from './span-row.js';
import type { IngestBatch } from './telemetry-store.js';

/** Options of {@link IngestQueue}. */
export interface IngestQueueOptions {
  /**
   * Items (spans + points + log entries) that trigger a write at once.
   * @default 4096
   */
  readonly maxBatchItems?: number;
  /**
   * Longest time an item waits before its batch is written, in ms.
   * @default 200
   */
  readonly flushDelayMs?: number;
  /** Where failed writes are reported. */
  readonly logger: Logger;
}

/** Counters of an {@link IngestQueue}. */
export interface IngestQueueStats {
  /** Transactions committed. */
  readonly batchesWritten: number;
  /** Items committed. */
  readonly itemsWritten: number;
  /** Items lost because their write failed or the queue was shut down. */
  readonly itemsDropped: number;
  /** Items waiting. */
  readonly pending: number;
}

/**
 * Collects telemetry and writes it in one transaction per batch, when the batch is
 * full or `flushDelayMs` after its first item, whichever comes first (OpenTelemetry's
 * batch processor, with SQLite as the exporter). A failed write is logged and its
 * items counted as dropped; it never throws into the caller of `enqueue*`.
 */
export class IngestQueue {
  readonly #write: (batch: IngestBatch) => void;
  readonly #maxItems: number;
  readonly #delayMs: number;
  readonly #logger: Logger;
  #spans: Span[] = [];
  #points: MetricPoint[] = [];
  #logs: LogEntry[] = [];
  #spanRows: SpanRow[] = [];
  #logRows: LogRow[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #batches = 0;
  #written = 0;
  #dropped = 0;

  constructor(write: (batch: IngestBatch) => void, options: IngestQueueOptions) {
    this.#write = write;
    this.#maxItems = options.maxBatchItems ?? 4096;
    this.#delayMs = options.flushDelayMs ?? 200;
    this.#logger = options.logger;
  }

  /** Items waiting to be written. */
  get pending(): number {
    return this.#spans.length + this.#points.length + this.#logs.length + this.#spanRows.length + this.#logRows.length;
  }

  /** Queues spans. */
  enqueueSpans(spans: readonly Span[]): void {
    if (this.#accepting(spans.length)) this.#spans.push(...spans);
    this.#schedule();
  }

  /** Queues spans a decode worker already turned into rows. */
  enqueueSpanRows(rows: readonly SpanRow[]): void {
    if (this.#accepting(rows.length)) pushAll(this.#spanRows, rows);
    this.#schedule();
  }

  /** Queues log entries already turned into rows. */
  enqueueLogRows(rows: readonly LogRow[]): void {
    if (this.#accepting(rows.length)) pushAll(this.#logRows, rows);
    this.#schedule();
  }

  /** Queues metric points. */
  enqueuePoints(points: readonly MetricPoint[]): void {
    if (this.#accepting(points.length)) this.#points.push(...points);
    this.#schedule();
  }

  /** Queues log entries. */
  enqueueLogs(entries: readonly LogEntry[]): void {
    if (this.#accepting(entries.length)) this.#logs.push(...entries);
    this.#schedule();
  }

  /** Writes everything queued now. */
  forceFlush(): Promise<void> {
    this.#flush();
    return Promise.resolve();
  }

  /** Writes what is queued and refuses (drops and counts) anything later. */
  shutdown(): Promise<void> {
    this.#flush();
    this.#closed = true;
    return Promise.resolve();
  }

  /** Counters. */
  stats(): IngestQueueStats {
    return { batchesWritten: this.#batches, itemsWritten: this.#written, itemsDropped: this.#dropped, pending: this.pending };
  }

  #accepting(n: number): boolean {
    if (!this.#closed) return true;
    this.#dropped += n;
    return false;
  }

  #schedule(): void {
    if (this.pending >= this.#maxItems) {
      this.#flush();
      return;
    }
    if (this.pending > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), this.#delayMs);
      this.#timer.unref();
    }
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const n = this.pending;
    if (n === 0) return;
    const batch: IngestBatch = { spans: this.#spans, points: this.#points, logs: this.#logs, spanRows: this.#spanRows, logRows: this.#logRows };
    this.#spans = [];
    this.#points = [];
    this.#logs = [];
    this.#spanRows = [];
    this.#logRows = [];
    try {
      this.#write(batch);
      this.#batches++;
      this.#written += n;
    } catch (err) {
      this.#dropped += n;
      this.#logger.error('telemetry batch write failed; items dropped', { items: n, err });
    }
  }
}

// Spread arguments are limited by the stack: a 10 MiB request may hold more rows than that.
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
