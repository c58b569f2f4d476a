import fs from 'node:fs';
import { silentLogger, writeFileAtomic, type Logger } from '../../core/index.js';
import type { LogEntry, MetricPoint } from '../../telemetry/index.js';
import type { RouterClient } from '../client/router-client.js';
import { accessLogEntries } from './to-log-entries.js';
import { routerMetricPoints } from './to-metric-points.js';

/** Pages of the access log read per scrape at most: 4 × 5 000 requests per 5 s, beyond which the router's ring drops the oldest. */
const ACCESS_LOG_PAGES = 4;

/** Options of {@link RouterMetricsPublisher}. */
export interface RouterMetricsPublisherOptions {
  readonly router: RouterClient;
  /** Where the points go (telemetry's `ingestMetricPoints`). */
  readonly ingest: (points: MetricPoint[]) => void;
  /** Where the access log's lines go (telemetry's `ingestLogEntries`); without it the access log is not read. */
  readonly ingestLogs?: (entries: LogEntry[]) => void;
  /**
   * Where the position read up to is kept, so a restarted control plane goes on where it was in
   * the same router's log (and from the start of a new router's) instead of ingesting lines twice.
   * @default kept in memory only
   */
  readonly positionFile?: string;
  /** Scrape period; alarms can use periods down to this. @default 5000 */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Scrapes the router's metrics on an interval and publishes them into
 * telemetry, the way an ALB publishes to CloudWatch, and its access log into
 * `/slipway/<environment>/router` (as an ALB writes access logs). A failed
 * scrape (the router restarting) is logged once and retried next tick; it never throws.
 */
export class RouterMetricsPublisher {
  readonly #o: RouterMetricsPublisherOptions;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastError = '';
  #access: { startedAtMs: number; after: number } | undefined;
  #dropped = 0;

  constructor(options: RouterMetricsPublisherOptions) {
    this.#o = options;
    this.#logger = (options.logger ?? silentLogger).child('router-metrics');
  }

  /** Scrapes once now. */
  async publish(): Promise<void> {
    try {
      this.#o.ingest(routerMetricPoints(await this.#o.router.metrics()));
      if (this.#o.ingestLogs !== undefined) await this.#publishAccessLog(this.#o.ingestLogs);
      this.#lastError = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.#lastError) this.#logger.warn('router metrics scrape failed', { error: message });
      this.#lastError = message;
    }
  }

  /** Access log lines the router overwrote before they were read (too many requests between two scrapes). */
  get droppedAccessLogLines(): number {
    return this.#dropped;
  }

  async #publishAccessLog(ingest: (entries: LogEntry[]) => void): Promise<void> {
    this.#access ??= readPosition(this.#o.positionFile);
    for (let page = 0; page < ACCESS_LOG_PAGES; page++) {
      const known = this.#access;
      let p = await this.#o.router.accessLog(known.after);
      // Another router process: its log starts again.
      if (p.startedAtMs !== known.startedAtMs && known.after > 0) p = await this.#o.router.accessLog(0);
      if (p.dropped > 0) {
        this.#dropped += p.dropped;
        this.#logger.warn('router access log lines were lost before they were read', { lost: p.dropped });
      }
      if (p.entries.length > 0) ingest(accessLogEntries(p.entries));
      const moved = p.startedAtMs !== known.startedAtMs || p.next !== known.after;
      this.#access = { startedAtMs: p.startedAtMs, after: p.next };
      // Written only when it moved: an idle router costs no file write per scrape.
      if (moved) writePosition(this.#o.positionFile, this.#access);
      if (p.entries.length < 5000) return;
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

function readPosition(file: string | undefined): { startedAtMs: number; after: number } {
  if (file === undefined) return { startedAtMs: 0, after: 0 };
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { startedAtMs?: unknown; after?: unknown };
    if (typeof v.startedAtMs === 'number' && typeof v.after === 'number') return { startedAtMs: v.startedAtMs, after: v.after };
  } catch {
    // None yet, or unreadable: start from the router's oldest line.
  }
  return { startedAtMs: 0, after: 0 };
}

function writePosition(file: string | undefined, position: { startedAtMs: number; after: number }): void {
  if (file !== undefined) writeFileAtomic(file, JSON.stringify(position));
}
