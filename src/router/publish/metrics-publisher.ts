import { silentLogger, type Logger } from '../../core/index.js';
import type { MetricPoint } from '../../telemetry/index.js';
import type { RouterClient } from '../client/router-client.js';
import { routerMetricPoints } from './to-metric-points.js';

/** Options of {@link RouterMetricsPublisher}. */
export interface RouterMetricsPublisherOptions {
  readonly router: RouterClient;
  /** Where the points go (telemetry's `ingestMetricPoints`). */
  readonly ingest: (points: MetricPoint[]) => void;
  /** Scrape period; alarms can use periods down to this. @default 5000 */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Scrapes the router's metrics on an interval and publishes them into
 * telemetry, the way an ALB publishes to CloudWatch. A failed scrape (the
 * router restarting) is logged once and retried next tick; it never throws.
 */
export class RouterMetricsPublisher {
  readonly #o: RouterMetricsPublisherOptions;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastError = '';

  constructor(options: RouterMetricsPublisherOptions) {
    this.#o = options;
    this.#logger = (options.logger ?? silentLogger).child('router-metrics');
  }

  /** Scrapes once now. */
  async publish(): Promise<void> {
    try {
      this.#o.ingest(routerMetricPoints(await this.#o.router.metrics()));
      this.#lastError = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.#lastError) this.#logger.warn('router metrics scrape failed', { error: message });
      this.#lastError = message;
    }
  }

  /** Starts scraping on the interval. */
  start(): void {
    this.#timer ??= setInterval(() => {
      this.#running ??= this.publish().finally(() => (this.#running = undefined));
    }, this.#o.intervalMs ?? 5000);
    this.#timer.unref();
  }

  /** Stops scraping (after a last scrape, so the final counts are kept). */
  async shutdown(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.publish();
  }
}
