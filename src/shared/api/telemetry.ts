// The telemetry API's answers: metrics, logs, traces and the service map. No zod here (the dashboard imports it);
// the query schemas live with the routes in src/telemetry/query/api-schemas.ts.

/** A series: one value per period. */
export interface MetricSeriesDto {
  /** Period starts, ms since the epoch, aligned to the period. */
  readonly timestamps: readonly number[];
  /** The statistic of each period (as many as `timestamps`). */
  readonly values: readonly number[];
}

/** `GET /api/v1/metrics/query`: one metric, one statistic, over a window. */
export interface MetricQueryResultDto extends MetricSeriesDto {
  readonly name: string;
  readonly stat: string;
  readonly periodMs: number;
  readonly startMs: number;
  readonly endMs: number;
  /** The dimensions asked for (`dim.<key>=<value>`); every series matching them is aggregated. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** `POST /api/v1/metrics/query`: several queries and expressions over one window (CloudWatch `GetMetricData`). */
export interface MetricDataResultDto {
  readonly periodMs: number;
  readonly startMs: number;
  readonly endMs: number;
  /** One per query and expression, in request order. */
  readonly results: readonly (MetricSeriesDto & { readonly id: string })[];
}

/** One metric name in `GET /api/v1/metrics/names`. */
export interface MetricNameDto {
  readonly name: string;
  readonly kind: 'Gauge' | 'Sum' | 'Histogram' | 'ExponentialHistogram' | 'Summary';
  readonly unit: string;
  /** Number of series (dimension combinations). */
  readonly series: number;
  /** Dimension keys seen, sorted. */
  readonly dimensionKeys: readonly string[];
}

/** `GET /api/v1/metrics/names`. */
export interface MetricNamesDto {
  readonly metrics: readonly MetricNameDto[];
}

/** A cell of a Logs Insights result. */
export type LogCellValue = string | number | null;

/** `POST /api/v1/logs/query`: a Logs Insights query's result. */
export interface LogsQueryResultDto {
  readonly startMs: number;
  readonly endMs: number;
  /** Column names in display order. */
  readonly columns: readonly string[];
  /** Rows keyed by column; every row has every column, null where the field is absent. */
  readonly rows: readonly Readonly<Record<string, LogCellValue>>[];
  readonly statistics: {
    /** Records read (within or outside the time range). */
    readonly recordsScanned: number;
    /** Records that passed every `filter` before the first `stats`. */
    readonly recordsMatched: number;
    /** UTF-8 bytes of the `@message` of the records scanned. */
    readonly bytesScanned: number;
  };
}

/** `GET /api/v1/logs/groups`: every log group with its streams, most recent stream first. */
export interface LogGroupsDto {
  readonly groups: readonly {
    readonly name: string;
    readonly lastEventMs: number;
    readonly streams: readonly { readonly name: string; readonly lastEventMs: number }[];
    /** How long its records are kept, ms (its own retention, else the app's, else 7 days). */
    readonly retentionMs: number;
    /** With `?sizes=true`: records stored and their bytes. */
    readonly stored?: { readonly records: number; readonly bytes: number };
  }[];
}

/** One record of `GET /api/v1/logs/tail`. */
export interface TailedLogDto {
  /** Cursor of the record. */
  readonly id: number;
  readonly timeMs: number;
  readonly group: string;
  readonly stream: string;
  readonly severity: string;
  readonly message: string;
}

/** `GET /api/v1/logs/tail`: records oldest first, and the cursor to pass as `after` next time. */
export interface LogTailDto {
  readonly events: readonly TailedLogDto[];
  readonly nextAfter: number;
}

/** A trace in search results. */
export interface TraceSummaryDto {
  readonly traceId: string;
  /** Service of the root span (else of the earliest span). */
  readonly rootService: string;
  readonly rootOperation: string;
  /** Earliest start, ms. */
  readonly startMs: number;
  /** Latest end minus earliest start, ms. */
  readonly durationMs: number;
  readonly spanCount: number;
  /** True when a span failed (status Error). */
  readonly error: boolean;
}

/** `GET /api/v1/traces`, newest first. */
export interface TraceSearchDto {
  readonly traces: readonly TraceSummaryDto[];
}

/** An attribute value of a span or span event. */
export type AttributeValueDto = string | number | boolean | null | readonly AttributeValueDto[] | { readonly [key: string]: AttributeValueDto };

/** A span as the trace page shows it, in waterfall order. */
export interface TraceSpanDto {
  readonly spanId: string;
  /** Absent for a root (or a span whose parent was never received). */
  readonly parentSpanId?: string;
  readonly service: string;
  readonly name: string;
  readonly kind: 'Internal' | 'Server' | 'Client' | 'Producer' | 'Consumer';
  readonly startMs: number;
  /** Start relative to the trace's start, ms. */
  readonly offsetMs: number;
  readonly durationMs: number;
  /** Duration minus the time covered by its children, ms. */
  readonly selfTimeMs: number;
  /** Depth in the tree; roots are 0. */
  readonly depth: number;
  readonly status: 'Unset' | 'Ok' | 'Error';
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, AttributeValueDto>>;
  readonly events: readonly { readonly name: string; readonly timeMs: number; readonly attributes: Readonly<Record<string, AttributeValueDto>> }[];
  /** True when the span is on the critical path. */
  readonly critical: boolean;
}

/** `GET /api/v1/traces/:id`. */
export interface TraceDto {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootOperation: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  /** The tree depth-first, children by start time. */
  readonly spans: readonly TraceSpanDto[];
  /** Self time per service, largest first. */
  readonly services: readonly { readonly service: string; readonly selfTimeMs: number; readonly spanCount: number }[];
  /** Span ids on the critical path, root first. */
  readonly criticalPath: readonly string[];
  /** Exceptions (span events named `exception`) and failed spans without one. */
  readonly errors: readonly { readonly spanId: string; readonly service: string; readonly name: string; readonly timeMs: number; readonly type?: string; readonly message?: string }[];
}

/** A database statement in `GET /api/v1/traces/slow-queries`, literals replaced by `?`. */
export interface SlowQueryDto {
  readonly statement: string;
  readonly dbSystem?: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly totalMs: number;
  /** The trace of the slowest execution. */
  readonly exampleTraceId: string;
}

/** `GET /api/v1/traces/slow-queries`, slowest total first. */
export interface SlowQueriesDto {
  readonly queries: readonly SlowQueryDto[];
}

/** Request statistics of a node or an edge of the service map (X-Ray's classification). */
export interface CallStatsDto {
  readonly requests: number;
  /** Client errors: HTTP 4xx. */
  readonly errors: number;
  /** Faults: HTTP 5xx, or status Error without a 4xx. */
  readonly faults: number;
  readonly errorRate: number;
  readonly faultRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A node of the service map: a service, a browser client (real-user monitoring), or a database or external endpoint it calls. */
export interface ServiceMapNodeDto extends CallStatsDto {
  readonly id: string;
  readonly type: 'service' | 'client' | 'database' | 'external';
  /** `db.system` of a database node. */
  readonly dbSystem?: string;
}

/** An edge: calls from one node to another. */
export interface ServiceMapEdgeDto extends CallStatsDto {
  readonly source: string;
  readonly target: string;
}

/** `GET /api/v1/service-map`. */
export interface ServiceMapDto {
  readonly startMs: number;
  readonly endMs: number;
  /** Sorted by id. */
  readonly nodes: readonly ServiceMapNodeDto[];
  /** Sorted by source, then target. */
  readonly edges: readonly ServiceMapEdgeDto[];
}

/** Percentiles of durations of one kind on a page, ms. */
export interface PageDurationStatsDto {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One web vital of a route: its 75th percentile (ms; a layout-shift score for CLS) and the reports rated poor. */
export interface WebVitalStatsDto {
  readonly count: number;
  readonly p75: number;
  readonly poor: number;
}

/** How one route of the app's pages performs in real browsers (real-user monitoring). */
export interface PagePerformanceDto {
  /** The browser's service name. */
  readonly service: string;
  /** The page's path (`page.route`). */
  readonly route: string;
  /** Page loads: navigation to the load event. */
  readonly documentLoad: PageDurationStatsDto;
  /** The page's fetches, with how many failed or got 4xx/5xx. */
  readonly fetch: PageDurationStatsDto & { readonly errors: number };
  /** Web vitals by name (`LCP`, `CLS`, `INP`, `FID`, `TTFB`, `FCP`); absent when none was reported. */
  readonly vitals: Readonly<Partial<Record<'LCP' | 'CLS' | 'INP' | 'FID' | 'TTFB' | 'FCP', WebVitalStatsDto>>>;
}

/** `GET /api/v1/rum/pages`. */
export interface RumPagesDto {
  readonly startMs: number;
  readonly endMs: number;
  /** Sorted by service, then page loads (most first), then route. */
  readonly pages: readonly PagePerformanceDto[];
}
