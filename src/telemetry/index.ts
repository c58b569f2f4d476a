// The telemetry context: OTLP/HTTP and X-Ray receivers, the telemetry store,
// metric/log/trace queries, the service map and the Logs Insights language.
export { createTelemetry, type Telemetry, type TelemetryOptions, type TelemetryPorts, type TelemetryStatus, type IngestAuthStatus, type RumIngest } from './telemetry.js';
export {
  IngestKeys,
  INGEST_KEY_HEADER,
  XRAY_INGEST_KEY_FIELD,
  withIngestKeyHeader,
  authorizeIngest,
  type IngestPrincipal,
  type IngestCredential,
  type IngestDecision,
  type ServiceBinding,
} from './ingest-auth/index.js';
export { telemetryRoutes, type TelemetryQueries } from './routes.js';
export {
  serviceOf,
  isValidTraceId,
  isValidSpanId,
  UNKNOWN_SERVICE,
  isTrustedOrigin,
  type MetricOrigin,
  type AttrValue,
  type Attributes,
  type ScopeInfo,
  type Span,
  type SpanEvent,
  type SpanKind,
  type SpanLink,
  type SpanStatusCode,
  type MetricPoint,
  type MetricKind,
  type MetricTemporality,
  type HistogramValue,
  type LogRecordIn,
  type IngestLimits,
} from './model/index.js';
export { decodeOtlpTraces, decodeOtlpMetrics, decodeOtlpLogs, encodeOtlpResponse, type OtlpSignal } from './otlp/index.js';
export { decodeXrayDatagram, readXrayHeader } from './xray/index.js';
export {
  parseQuery,
  planQuery,
  executeQuery,
  LogsQueryError,
  QueryBudgetError,
  DEFAULT_QUERY_TIMEOUT_MS,
  MAX_QUERY_TIMEOUT_MS,
  DEFAULT_MAX_RECORDS_SCANNED,
  MAX_RECORDS_SCANNED_LIMIT,
  MAX_PATTERN_PROGRAM_SIZE,
  type LogRecord,
  type QueryResult,
  type QueryPlan,
  type QueryBudget,
} from './logs-insights/index.js';
export { telemetryMigrations } from './store/migrations.js';
export { serviceLogGroup, type LogEntry } from './store/log-entry.js';
export { DEFAULT_RETENTION_MS, type RetentionPolicy, type RetentionResult } from './store/retention.js';
export type { LogGroupInfo, TailPage, TailQuery, TailedLog } from './store/tail-logs.js';
export type { TaskLogLine } from './receivers/task-log-line.js';
export type { IngestCountersSnapshot, OtlpSignalCounters, XrayCounters } from './receivers/ingest-counters.js';
export { compileStatistic, nearestRank, histogramPercentile, type Statistic } from './query/metrics/statistic.js';
export { type MetricQuery, type MetricSeries, type MetricNameInfo } from './query/metrics/query-metric.js';
export type { MetricDataRequest, MetricDataResult, NamedMetricQuery, NamedExpression } from './query/metrics/query-metric-data.js';
export { runMetricQuery, type MetricDataReader } from './query/metrics/run-metric-query.js';
export { evaluateMath, type MathContext } from './query/metrics/math-eval.js';
export type { LogsQuery } from './query/logs/query-logs.js';
export type { FoundLog, LogScan } from './query/logs/find-logs.js';
export type { TraceSearch, TraceSummary } from './query/traces/search-traces.js';
export type { SpanScan } from './query/traces/find-spans.js';
export type { TraceView, TraceViewSpan, TraceError } from './query/traces/trace-view.js';
export { normalizeStatement, type SlowQuery } from './query/traces/slow-queries.js';
export type { ServiceMap, ServiceMapNode, ServiceMapEdge, ServiceMapNodeType, CallStats } from './query/service-map/service-map.js';
