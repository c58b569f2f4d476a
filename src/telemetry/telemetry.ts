import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ensureDataDir, readOrCreateSecret, resolveDataDir, silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import { NotFoundError, UnavailableError } from '../shared/index.js';
import type { ExecuteOptions, QueryResult } from './logs-insights/index.js';
import { INGEST_KEY_HEADER, IngestKeys, type IngestPolicy } from './ingest-auth/index.js';
import type { LogRecordIn, MetricOrigin, MetricPoint, Span } from './model/index.js';
import { findLogs, type FoundLog, type LogScan } from './query/logs/find-logs.js';
import { queryLogs, type LogsQuery } from './query/logs/query-logs.js';
import { queryMetricData, type MetricDataRequest, type MetricDataResult } from './query/metrics/query-metric-data.js';
import { listMetricNames, queryMetric, queryMetrics, type MetricNameInfo, type MetricQuery, type MetricSeries } from './query/metrics/query-metric.js';
import { pagePerformance, type PagePerformance } from './query/rum/page-performance.js';
import { buildServiceMap, type ServiceMap } from './query/service-map/service-map.js';
import { findSpans, type SpanScan } from './query/traces/find-spans.js';
import { searchTraces, type TraceSearch, type TraceSummary } from './query/traces/search-traces.js';
import { slowQueries, type SlowQuery } from './query/traces/slow-queries.js';
import { buildTraceView, type TraceView } from './query/traces/trace-view.js';
import { IngestCounters, type IngestCountersSnapshot } from './receivers/ingest-counters.js';
import type { IngestSink } from './receivers/ingest-sink.js';
import type { OtlpDecodePoolStats } from './receivers/otlp-decode-pool.js';
import { startOtlpReceiver, type RunningOtlpReceiver, type RunningReceiver } from './receivers/otlp-http-receiver.js';
import { taskLogEntry, type TaskLogLine } from './receivers/task-log-line.js';
import { startXrayReceiver } from './receivers/xray-udp-receiver.js';
import { IngestQueue, type IngestQueueStats } from './store/ingest-queue.js';
import { logEntryOf, type LogEntry } from './store/log-entry.js';
import { readTrace } from './store/read-spans.js';
import { deleteExpired, startBackgroundLoop, type BackgroundLoop, type RetentionPolicy, type RetentionResult } from './store/retention.js';
import { listLogGroups, tailLogs, type LogGroupInfo, type TailPage, type TailQuery } from './store/tail-logs.js';
import { openTelemetryStore, type TelemetryStore } from './store/telemetry-store.js';
import { telemetryRoutes } from './routes.js';

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /** The data directory; the store is `<dataDir>/telemetry.db`. */
  readonly dataDir: string;
  /** Where time comes from. @default the system clock */
  readonly clock?: Clock;
  /** slipway's own logger. @default silentLogger */
  readonly logger?: Logger;
  /** Address the receivers listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** OTLP/HTTP port; 0 picks a free one; `null` runs no OTLP receiver. @default 4318 */
  readonly otlpPort?: number | null;
  /** X-Ray UDP port; 0 picks a free one; `null` runs no X-Ray receiver. @default 2000 */
  readonly xrayPort?: number | null;
  /** How long each signal is kept, or where to read it each time retention runs (an applied model can change it). @default 7 days each */
  readonly retention?: RetentionPolicy | (() => RetentionPolicy);
  /** Largest OTLP body, sent and inflated, in bytes. @default 10_485_760 (10 MiB) */
  readonly bodyLimitBytes?: number;
  /** Items that trigger a write. @default 4096 */
  readonly maxBatchItems?: number;
  /** Longest wait of an item before it is written, ms. @default 200 */
  readonly flushDelayMs?: number;
  /**
   * OTLP decode worker threads; 0 decodes on the main thread.
   * @default `os.availableParallelism() - 1`, at least 1
   */
  readonly decodeWorkers?: number;
  /**
   * OTLP requests decoding or waiting for a decode worker; past it the receiver answers 503
   * with `Retry-After` (the sender retries) instead of queueing without bound.
   * @default 64
   */
  readonly maxQueuedDecodes?: number;
  /** OTLP bodies smaller than this are decoded on the main thread, in bytes. @default 1024 */
  readonly inlineDecodeBelowBytes?: number;
  /** How often retention runs, ms. @default 60_000 */
  readonly retentionIntervalMs?: number;
  /** How often the receivers' counters are written as `slipway.*` metrics, ms. @default 10_000 */
  readonly selfMetricsIntervalMs?: number;
  /**
   * Accept senders without an ingest key (the app model's `telemetry.allowUnauthenticated`);
   * their metric points are stored as `Anonymous` and never read by decisions.
   * @default false: OTLP answers 401 and X-Ray datagrams are dropped without a valid key
   */
  readonly allowUnauthenticated?: boolean;
  /**
   * Real-user monitoring, read at each request (an applied model can change it): the CORS
   * allow-list of the OTLP receiver and the browser's service name in each environment.
   * @default none: requests from pages (with an `Origin` header) are refused
   */
  readonly rum?: () => RumIngest | undefined;
}

/** What the receivers need to know of the app model's `telemetry.rum`. */
export interface RumIngest {
  /** Origins of pages that may send (`scheme://host:port`). */
  readonly origins: readonly string[];
  /** `service.name` of the browser's spans. */
  readonly serviceName: string;
  /** Environments that serve the pages (one browser key each). */
  readonly environments: readonly string[];
}

/** How senders authenticate, as `GET /api/v1/status` shows it (the app key itself stays in its file). */
export interface IngestAuthStatus {
  /** The OTLP/HTTP header of the key: `x-slipway-ingest-key`. */
  readonly header: string;
  /** The file holding the app key (mode 0600), from which the other keys derive. */
  readonly keyFile: string;
  /**
   * The public browser (RUM) keys by environment, for the model's `telemetry.rum.serviceName`:
   * traces and logs of that service only, meant to be shipped to pages. Empty without `rum`.
   */
  readonly browserKeys: Readonly<Record<string, string>>;
  /** Origins of the pages that may send (the receiver's CORS allow-list). */
  readonly corsOrigins: readonly string[];
  /** Whether senders without a key are accepted (their metrics stay anonymous). */
  readonly allowUnauthenticated: boolean;
}

/** Ports the receivers bound. */
export interface TelemetryPorts {
  /** OTLP/HTTP port, when running. */
  readonly otlpPort?: number;
  /** X-Ray UDP port, when running. */
  readonly xrayPort?: number;
}

/** What `GET /api/v1/status` shows of telemetry. */
export interface TelemetryStatus extends TelemetryPorts {
  /** Whether `start()` has run and `shutdown()` has not. */
  readonly running: boolean;
  /** Receiver counters. */
  readonly counters: IngestCountersSnapshot;
  /** Write queue counters. */
  readonly queue: IngestQueueStats | undefined;
  /** OTLP decode workers and their queue (absent without an OTLP receiver or with `decodeWorkers: 0`). */
  readonly decode?: OtlpDecodePoolStats;
  /** How senders authenticate. */
  readonly ingest: IngestAuthStatus;
}

/** The telemetry context: receivers, store, queries and their API routes. */
export interface Telemetry {
  /** Opens the store, starts the receivers and the retention loop. */
  start(): Promise<TelemetryPorts>;
  /** The API routes (`/api/v1/metrics/*`, `/api/v1/logs/*`, `/api/v1/traces*`, `/api/v1/service-map`). */
  readonly routes: (app: FastifyInstance) => void;
  /** Stores spans (slipway's own, in process). */
  ingestSpans(spans: readonly Span[]): void;
  /** Stores metric points of slipway itself (e.g. the router's), as `Internal`: trusted. */
  ingestMetricPoints(points: readonly MetricPoint[]): void;
  /** Stores OTLP-shaped log records. */
  ingestLogs(records: readonly LogRecordIn[]): void;
  /** Stores log entries with an explicit group and stream (e.g. `/slipway/pipeline/<app>`). */
  ingestLogEntries(entries: readonly LogEntry[]): void;
  /** Stores one line of a task's output (JSON lines are parsed). */
  ingestTaskLogLine(line: TaskLogLine): void;
  /** One metric query. */
  queryMetric(q: MetricQuery): MetricSeries;
  /**
   * Several metric queries in one call (an alarm round): statements prepared once, each metric's
   * series looked up once, queries over the same samples read once. Results in request order.
   * @throws InputError `SLW_ERR_METRICS_QUERY_INVALID` when any query is invalid.
   */
  queryMetrics(queries: readonly MetricQuery[]): MetricSeries[];
  /** Several queries and metric math. */
  queryMetricData(req: MetricDataRequest): MetricDataResult[];
  /** Metric names and dimension keys. */
  listMetricNames(): MetricNameInfo[];
  /** A Logs Insights query. */
  queryLogs(q: LogsQuery, options?: ExecuteOptions): Promise<QueryResult>;
  /** Log groups with their streams and retention; with `sizes`, what each stores (a scan). */
  listLogGroups(options?: { readonly sizes?: boolean }): LogGroupInfo[];
  /** Latest log records or those after a cursor. */
  tailLogs(q: TailQuery): TailPage;
  /** Trace search. */
  searchTraces(q: TraceSearch): TraceSummary[];
  /** Every span of a window, whole, oldest first, up to a limit (for analyses that attribute spans themselves). */
  findSpans(q: SpanScan): { spans: Span[]; truncated: boolean };
  /** Every log record of a window, oldest first, up to a limit (for analyses that attribute records themselves). */
  findLogs(q: LogScan): { logs: FoundLog[]; truncated: boolean };
  /** One trace's view. @throws NotFoundError `SLW_ERR_TRACE_NOT_FOUND` */
  getTrace(traceId: string): TraceView;
  /** Database statements by total time. */
  slowQueries(startMs: number, endMs: number, limit?: number): SlowQuery[];
  /** The service map of a window, of one environment when given. */
  serviceMap(startMs: number, endMs: number, environment?: string): ServiceMap;
  /** Page loads, fetches and web vitals per route of the browsers' spans in a window (real-user monitoring). */
  pagePerformance(startMs: number, endMs: number): PagePerformance[];
  /** Writes the receivers' counters as `slipway.otlp.*` / `slipway.xray.*` points now; a loop calls it too. */
  writeSelfMetrics(): void;
  /** Deletes what retention allows now; the loop calls it too. */
  applyRetention(): RetentionResult;
  /** Writes what is queued. */
  forceFlush(): Promise<void>;
  /** Stops the receivers and loops, writes what is queued, closes the store. */
  shutdown(): Promise<void>;
  /** Ports and counters. */
  status(): TelemetryStatus;
  /** The app's ingest keys (for the tasks' environment and for tests). @throws UnavailableError before `start()` */
  ingestKeys(): IngestKeys;
  /** The clock in use. */
  readonly clock: Clock;
}

interface Running {
  keys: IngestKeys;
  store: TelemetryStore;
  queue: IngestQueue;
  receivers: RunningReceiver[];
  otlp?: RunningOtlpReceiver;
  loops: BackgroundLoop[];
  ports: TelemetryPorts;
}

function rumStatus(keys: IngestKeys | undefined, rum: RumIngest | undefined): Pick<IngestAuthStatus, 'browserKeys' | 'corsOrigins'> {
  if (rum === undefined) return { browserKeys: {}, corsOrigins: [] };
  const browserKeys = keys === undefined ? {} : Object.fromEntries(rum.environments.map((env) => [env, keys.browserKey(env, rum.serviceName)]));
  return { browserKeys, corsOrigins: rum.origins };
}

/** Creates the telemetry context; nothing opens or listens until `start()`. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child('telemetry');
  const counters = new IngestCounters(clock.now());
  const dataDir = resolveDataDir(options.dataDir);
  const keyFile = dataDir.ingestKeyFile;
  const allowUnauthenticated = options.allowUnauthenticated ?? false;
  let running: Running | undefined;

  const get = (): Running => {
    if (running === undefined) throw new UnavailableError('SLW_ERR_TELEMETRY_NOT_STARTED');
    return running;
  };
  const db = () => {
    const r = get();
    r.queue.forceFlush().catch(() => undefined);
    return r.store.db;
  };
  // The origin is stamped here, after decoding: nothing a sender writes can set it.
  const withOrigin = (points: readonly MetricPoint[], origin: MetricOrigin): MetricPoint[] => points.map((p) => ({ ...p, origin }));
  const sink: IngestSink = {
    spans: (spans) => get().queue.enqueueSpans(spans),
    points: (points, origin) => get().queue.enqueuePoints(withOrigin(points, origin)),
    logs: (records) => get().queue.enqueueLogs(records.map(logEntryOf)),
    spanRows: (rows) => get().queue.enqueueSpanRows(rows),
    logRows: (rows) => get().queue.enqueueLogRows(rows),
  };
  const writeSelfMetrics = () => {
    const { queue } = get();
    queue.enqueuePoints(counters.toMetricPoints(clock.now(), queue.stats()));
  };
  const retentionPolicy = (): RetentionPolicy => (typeof options.retention === 'function' ? options.retention() : (options.retention ?? {}));
  const applyRetention = () => deleteExpired(db(), retentionPolicy(), clock.now());

  const telemetry: Telemetry = {
    clock,
    async start() {
      if (running !== undefined) return running.ports;
      // The key file may be the first thing written to a new data directory.
      ensureDataDir(dataDir);
      const keys = new IngestKeys(readOrCreateSecret(keyFile));
      const policy: IngestPolicy = { keys, allowUnauthenticated };
      const store = openTelemetryStore(path.join(options.dataDir, 'telemetry.db'), clock);
      const queue = new IngestQueue(store.write, { maxBatchItems: options.maxBatchItems ?? 4096, flushDelayMs: options.flushDelayMs ?? 200, logger });
      const r: Running = { keys, store, queue, receivers: [], loops: [], ports: {} };
      running = r;
      try {
        const limits = { clock };
        const ports: { otlpPort?: number; xrayPort?: number } = {};
        if (options.otlpPort !== null) {
          const decode = { ...(options.decodeWorkers !== undefined ? { size: options.decodeWorkers } : {}), ...(options.maxQueuedDecodes !== undefined ? { maxQueuedJobs: options.maxQueuedDecodes } : {}) };
          const corsOrigins = () => options.rum?.()?.origins ?? [];
          const otlp = await startOtlpReceiver({
            host: options.host, port: options.otlpPort ?? 4318, bodyLimitBytes: options.bodyLimitBytes, limits, policy, sink, counters, logger,
            decode, inlineDecodeBelowBytes: options.inlineDecodeBelowBytes, corsOrigins,
          });
          r.receivers.push(otlp);
          r.otlp = otlp;
          ports.otlpPort = otlp.port;
        }
        if (options.xrayPort !== null) {
          const xray = await startXrayReceiver({ host: options.host, port: options.xrayPort ?? 2000, limits, policy, sink, counters, logger });
          r.receivers.push(xray);
          ports.xrayPort = xray.port;
        }
        r.ports = ports;
      } catch (err) {
        await telemetry.shutdown();
        throw err;
      }
      r.loops.push(startBackgroundLoop(() => applyRetention(), options.retentionIntervalMs ?? 60_000, logger));
      r.loops.push(startBackgroundLoop(writeSelfMetrics, options.selfMetricsIntervalMs ?? 10_000, logger));
      logger.info('telemetry started', { ...r.ports, allowUnauthenticated });
      return r.ports;
    },
    routes: (app) => telemetryRoutes(app, telemetry),
    ingestSpans(spans) {
      counters.direct.traces += spans.length;
      sink.spans(spans);
    },
    ingestMetricPoints(points) {
      counters.direct.metrics += points.length;
      sink.points(points, 'Internal');
    },
    ingestLogs(records) {
      counters.direct.logs += records.length;
      sink.logs(records);
    },
    ingestLogEntries(entries) {
      counters.direct.logs += entries.length;
      get().queue.enqueueLogs(entries);
    },
    ingestTaskLogLine(line) {
      counters.direct.logs++;
      get().queue.enqueueLogs([taskLogEntry(line)]);
    },
    queryMetric: (q) => queryMetric(db(), q),
    queryMetrics: (qs) => queryMetrics(db(), qs),
    queryMetricData: (req) => queryMetricData(db(), req),
    listMetricNames: () => listMetricNames(db()),
    queryLogs: async (q, execOptions) => queryLogs(db(), q, execOptions),
    listLogGroups: (o) => listLogGroups(db(), retentionPolicy(), o),
    tailLogs: (q) => tailLogs(db(), q),
    searchTraces: (q) => searchTraces(db(), q),
    findSpans: (q) => findSpans(db(), q),
    findLogs: (q) => findLogs(db(), q),
    getTrace(traceId) {
      const spans = readTrace(db(), traceId);
      if (spans.length === 0) throw new NotFoundError('SLW_ERR_TRACE_NOT_FOUND', `no trace ${traceId}`);
      return buildTraceView(traceId, spans);
    },
    slowQueries: (startMs, endMs, limit) => slowQueries(db(), startMs, endMs, limit),
    serviceMap: (startMs, endMs, environment) => buildServiceMap(db(), startMs, endMs, environment),
    pagePerformance: (startMs, endMs) => pagePerformance(db(), startMs, endMs),
    applyRetention,
    writeSelfMetrics,
    forceFlush: () => (running === undefined ? Promise.resolve() : running.queue.forceFlush()),
    async shutdown() {
      const r = running;
      if (r === undefined) return;
      for (const l of r.loops) l.stop();
      await Promise.all(r.receivers.map((x) => x.close()));
      try {
        writeSelfMetrics();
      } catch (err) {
        logger.warn('could not write the final counters', { err });
      }
      await r.queue.shutdown();
      running = undefined;
      r.store.close();
    },
    status: () => {
      const decode = running?.otlp?.decodeStats();
      return {
        running: running !== undefined,
        ...(running?.ports ?? {}),
        counters: counters.snapshot(),
        queue: running?.queue.stats(),
        ...(decode !== undefined ? { decode } : {}),
        ingest: { header: INGEST_KEY_HEADER, keyFile, ...rumStatus(running?.keys, options.rum?.()), allowUnauthenticated },
      };
    },
    ingestKeys: () => get().keys,
  };
  return telemetry;
}
