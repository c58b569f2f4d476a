// The internal telemetry model: what OTLP and X-Ray decode into and storage keeps.
export { serviceOf, UNKNOWN_SERVICE, type AttrValue, type Attributes, type ScopeInfo } from './attributes.js';
export type { Span, SpanEvent, SpanKind, SpanLink, SpanStatusCode } from './span.js';
export { isTrustedOrigin } from './metric-point.js';
export type {
  MetricPoint,
  MetricOrigin,
  MetricKind,
  MetricTemporality,
  HistogramValue,
  ExponentialBuckets,
  ExponentialHistogramValue,
  SummaryValue,
} from './metric-point.js';
export type { LogRecordIn } from './log-record.js';
export { isValidTraceId, isValidSpanId } from './ids.js';
export {
  compileIngestLimits,
  timeWindowOf,
  isInWindow,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_AGE_MS,
  type IngestLimits,
  type CompiledIngestLimits,
  type TimeWindow,
} from './ingest-limits.js';
