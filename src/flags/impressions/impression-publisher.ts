import { systemClock, type Clock } from '../../core/index.js';
import type { MetricPoint } from '../../telemetry/index.js';
import { ImpressionCounter, type Impression, type ImpressionRecorder } from './impression-counter.js';

/** Where impression points go: telemetry's `ingestMetricPoints`, as the router's metrics do. */
export type MetricPointSink = (points: MetricPoint[]) => void;

/** Options of {@link ImpressionPublisher}. */
export interface ImpressionPublisherOptions {
  readonly sink: MetricPointSink;
  /** Time between flushes; alarms on impressions can use periods down to this. @default 10000 */
  readonly intervalMs?: number;
  /** Where point times come from. @default systemClock */
  readonly clock?: Clock;
  /** Told of a sink that threw; the counts are kept and published again at the next flush. @default ignore */
  readonly onError?: (err: unknown) => void;
}

/**
 * Counts impressions ({@link ImpressionCounter}) and flushes them into telemetry on an interval.
 * A failing sink never reaches the caller of `record` nor stops the timer.
 */
export class ImpressionPublisher implements ImpressionRecorder {
  readonly #o: ImpressionPublisherOptions;
  readonly #clock: Clock;
  readonly #counter: ImpressionCounter;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ImpressionPublisherOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#counter = new ImpressionCounter(this.#clock.now());
  }

  /** Counts `count` impressions of one series. */
  record(impression: Impression, count = 1): void {
    this.#counter.record(impression, count);
  }

  /** Publishes the counts now (nothing when nothing was counted yet). */
  forceFlush(): void {
    if (this.#counter.size === 0) return;
    try {
      this.#o.sink(this.#counter.points(this.#clock.now()));
    } catch (err) {
      (this.#o.onError ?? (() => {}))(err);
    }
  }

  /** Starts flushing on the interval. Idempotent. */
  start(): void {
    this.#timer ??= setInterval(() => this.forceFlush(), this.#o.intervalMs ?? 10_000);
    this.#timer.unref();
  }

  /** Stops the interval after a last flush, so the final counts are kept. */
  shutdown(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.forceFlush();
  }
}
