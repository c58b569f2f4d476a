import { compileIngestLimits, timeWindowOf, type IngestLimits, type LogRecordIn, type MetricPoint, type Span } from '../model/index.js';
import { InputError, SlipwayError } from '../../shared/index.js';
import { decodeContent, otlpEncodingOf } from './body.js';
import { mapLogs } from './map-logs.js';
import { mapMetrics } from './map-metrics.js';
import { mapTraces } from './map-traces.js';
import { otlpServiceTypes, type OtlpSignal } from './proto-root.js';

/** What decoding an OTLP request accepted and rejected; feeds the partial-success response. */
export interface OtlpDecodeOutcome {
  /** Number of items rejected (invalid ids, timestamps out of the window, invalid values). */
  readonly rejected: number;
  /** Why, for the partial-success `error_message`; also set for a warning when nothing was rejected. */
  readonly errorMessage?: string;
}

/** Decoded `ExportTraceServiceRequest`. */
export interface OtlpTracesResult extends OtlpDecodeOutcome {
  /** Accepted spans. */
  readonly spans: Span[];
}

/** Decoded `ExportMetricsServiceRequest`. */
export interface OtlpMetricsResult extends OtlpDecodeOutcome {
  /** Accepted data points. */
  readonly points: MetricPoint[];
}

/** Decoded `ExportLogsServiceRequest`. */
export interface OtlpLogsResult extends OtlpDecodeOutcome {
  /** Accepted log records. */
  readonly records: LogRecordIn[];
}

// protobufjs stops decoding past this many nested messages (protoc's default), with "max depth exceeded".
const PROTOBUF_RECURSION_LIMIT = 100;

const TOP_LEVEL: Readonly<Record<OtlpSignal, string>> = { traces: 'resourceSpans', metrics: 'resourceMetrics', logs: 'resourceLogs' };

/**
 * Decodes an OTLP/HTTP `POST /v1/traces` body (protobuf or JSON, optionally gzip).
 * Invalid spans are counted in `rejected`, not thrown.
 * @throws InputError with `SLW_ERR_OTLP_UNSUPPORTED_MEDIA` (415), `SLW_ERR_OTLP_UNSUPPORTED_ENCODING` (415),
 *   `SLW_ERR_OTLP_TOO_LARGE` (413) or `SLW_ERR_OTLP_MALFORMED` (400) when the body as a whole is unusable.
 */
export function decodeOtlpTraces(body: Buffer, contentType: string, contentEncoding?: string, limits?: IngestLimits): OtlpTracesResult {
  return decodeSignal('traces', body, contentType, contentEncoding, limits, (request, window) => {
    const { spans, rejections, received } = mapTraces(request, window);
    return { items: spans, rejections, received, itemsName: 'spans' };
  }, (items) => ({ spans: items }));
}

/** Decodes an OTLP/HTTP `POST /v1/metrics` body; see {@link decodeOtlpTraces} for errors. */
export function decodeOtlpMetrics(body: Buffer, contentType: string, contentEncoding?: string, limits?: IngestLimits): OtlpMetricsResult {
  return decodeSignal('metrics', body, contentType, contentEncoding, limits, (request, window) => {
    const { points, rejections, received } = mapMetrics(request, window);
    return { items: points, rejections, received, itemsName: 'data points' };
  }, (items) => ({ points: items }));
}

/** Decodes an OTLP/HTTP `POST /v1/logs` body; see {@link decodeOtlpTraces} for errors. */
export function decodeOtlpLogs(body: Buffer, contentType: string, contentEncoding?: string, limits?: IngestLimits): OtlpLogsResult {
  return decodeSignal('logs', body, contentType, contentEncoding, limits, (request, window, nowMs) => {
    const { records, rejections, received } = mapLogs(request, window, nowMs);
    return { items: records, rejections, received, itemsName: 'log records' };
  }, (items) => ({ records: items }));
}

interface Mapped<T> {
  items: T[];
  rejections: { total: number; message(itemsName: string, received: number, window: { fromMs: number; toMs: number }): string | undefined };
  received: number;
  itemsName: string;
}

function decodeSignal<T, R>(
  signal: OtlpSignal,
  body: Buffer,
  contentType: string,
  contentEncoding: string | undefined,
  limits: IngestLimits | undefined,
  map: (request: unknown, window: { fromMs: number; toMs: number }, nowMs: number) => Mapped<T>,
  wrap: (items: T[]) => R,
): R & OtlpDecodeOutcome {
  const encoding = otlpEncodingOf(contentType);
  const compiled = compileIngestLimits(limits);
  const raw = decodeContent(body, contentEncoding, compiled.maxDecompressedBytes);
  try {
    const request = encoding === 'json' ? parseJson(raw) : parseProtobuf(signal, raw);
    const nowMs = compiled.clock.now();
    const window = timeWindowOf(compiled);
    const mapped = map(request, window, nowMs);
    const errorMessage = mapped.rejections.message(mapped.itemsName, mapped.received, window) ?? keyWarning(signal, encoding, request, mapped.received);
    return { ...wrap(mapped.items), rejected: mapped.rejections.total, ...(errorMessage !== undefined ? { errorMessage } : {}) };
  } catch (err) {
    if (err instanceof SlipwayError) throw err;
    // Whatever a hostile body makes the parser or mapper throw (RangeError on deep
    // nesting included) is the sender's fault, never a crash of the receiver.
    const reason = (err as Error).message === 'max depth exceeded' ? `messages are nested deeper than ${PROTOBUF_RECURSION_LIMIT} levels (the protobuf recursion limit, as in protoc)` : (err as Error).message;
    throw new InputError('SLW_ERR_OTLP_MALFORMED', `The ${signal} request body could not be decoded as ${encoding}: ${reason}`, { cause: err });
  }
}

function parseJson(raw: Buffer): unknown {
  const value: unknown = JSON.parse(raw.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('SLW_ERR_OTLP_MALFORMED', 'The JSON body is not an object');
  }
  return value;
}

function parseProtobuf(signal: OtlpSignal, raw: Buffer): unknown {
  const { request } = otlpServiceTypes(signal);
  // 64-bit integers become decimal strings and bytes stay bytes: the mappers read
  // ids from bytes here and from hex strings in JSON.
  return request.toObject(request.decode(raw), { longs: String, enums: Number, defaults: false, arrays: false, oneofs: false });
}

// OTLP/JSON keys are lowerCamelCase; "original field names are not valid" and
// unknown fields MUST be ignored. A sender using snake_case therefore gets nothing
// stored, and is told why in the (non-rejecting) partial-success message.
function keyWarning(signal: OtlpSignal, encoding: 'json' | 'protobuf', request: unknown, received: number): string | undefined {
  if (encoding !== 'json' || received > 0) return undefined;
  const keys = Object.keys(request as object);
  const expected = TOP_LEVEL[signal];
  if (keys.length === 0 || keys.includes(expected)) return undefined;
  return `no "${expected}" field found (got ${keys.slice(0, 5).map((k) => `"${k}"`).join(', ')}): OTLP/JSON field names are lowerCamelCase`;
}
