// OTLP/HTTP ingest: decode export requests (protobuf or JSON, gzip) into the
// telemetry model and encode the (partial) success responses.
export {
  decodeOtlpTraces,
  decodeOtlpMetrics,
  decodeOtlpLogs,
  type OtlpDecodeOutcome,
  type OtlpTracesResult,
  type OtlpMetricsResult,
  type OtlpLogsResult,
} from './decode.js';
export { encodeOtlpResponse, type OtlpResponse } from './encode-response.js';
export { otlpEncodingOf, type OtlpEncoding } from './body.js';
export { otlpServiceTypes, type OtlpSignal, type OtlpServiceTypes } from './proto-root.js';
