import { isInWindow, isValidSpanId, isValidTraceId, type Span, type SpanEvent, type SpanKind, type SpanLink, type SpanStatusCode, type TimeWindow } from '../model/index.js';
import { keyValues, type DepthCuts } from './any-value.js';
import { Rejections } from './rejections.js';
import { readResource, readScope } from './resource-scope.js';
import { id, int, nanos, nanosToMs, obj, objs, str, type Obj } from './read.js';

/** What mapping an `ExportTraceServiceRequest` produced. */
export interface MappedTraces {
  /** Accepted spans. */
  readonly spans: Span[];
  /** Rejected spans, by reason. */
  readonly rejections: Rejections;
  /** Spans in the request, accepted or not. */
  readonly received: number;
}

const KINDS: readonly SpanKind[] = ['Internal', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const STATUS: readonly SpanStatusCode[] = ['Unset', 'Ok', 'Error'];
const STATUS_NAMES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** An enum given as an integer (as OTLP/JSON requires) or, leniently, by name. */
export function enumValue(value: unknown, names: Readonly<Record<string, number>>): number {
  return typeof value === 'string' && value in names ? (names[value] ?? 0) : int(value);
}

/** Maps a decoded `ExportTraceServiceRequest` to spans, rejecting invalid ones. */
export function mapTraces(request: unknown, window: TimeWindow): MappedTraces {
  const spans: Span[] = [];
  const rejections = new Rejections();
  let received = 0;
  for (const rs of objs(obj(request).resourceSpans)) {
    const { resource, service } = readResource(rs.resource, rejections);
    for (const ss of objs(rs.scopeSpans)) {
      const scope = readScope(ss.scope);
      for (const raw of objs(ss.spans)) {
        received += 1;
        const result = mapSpan(raw, window, rejections);
        if (typeof result === 'string') rejections.add(result);
        else spans.push({ ...result, service, resource, ...(scope ? { scope } : {}) });
      }
    }
  }
  return { spans, rejections, received };
}

type SpanBody = Omit<Span, 'service' | 'resource' | 'scope'>;

function mapSpan(raw: Obj, window: TimeWindow, cuts: DepthCuts): SpanBody | 'InvalidId' | 'TimestampOutOfRange' {
  const traceId = id(raw.traceId);
  const spanId = id(raw.spanId);
  const parentSpanId = id(raw.parentSpanId);
  if (traceId === undefined || !isValidTraceId(traceId) || spanId === undefined || !isValidSpanId(spanId)) return 'InvalidId';
  // An all-zero parent is how some exporters spell "no parent"; any other malformed parent is invalid.
  if (parentSpanId === undefined || (parentSpanId !== '' && parentSpanId !== '0'.repeat(16) && !isValidSpanId(parentSpanId))) return 'InvalidId';
  const startNs = nanos(raw.startTimeUnixNano);
  const endNs = nanos(raw.endTimeUnixNano);
  if (startNs === undefined || endNs === undefined || startNs === 0n || endNs < startNs) return 'TimestampOutOfRange';
  const startTimeMs = nanosToMs(startNs);
  const endTimeMs = nanosToMs(endNs);
  if (!isInWindow(startTimeMs, window) || !isInWindow(endTimeMs, window)) return 'TimestampOutOfRange';
  const status = obj(raw.status);
  const statusMessage = str(status.message);
  const links = objs(raw.links).flatMap((l) => mapLink(l, cuts));
  return {
    traceId,
    spanId,
    ...(isValidSpanId(parentSpanId) ? { parentSpanId } : {}),
    name: str(raw.name),
    kind: KINDS[enumValue(raw.kind, KIND_NAMES)] ?? 'Internal',
    startTimeMs,
    endTimeMs,
    durationMs: Number(endNs - startNs) / 1e6,
    statusCode: STATUS[enumValue(status.code, STATUS_NAMES)] ?? 'Unset',
    ...(statusMessage !== '' ? { statusMessage } : {}),
    attributes: keyValues(raw.attributes, 0, cuts),
    events: objs(raw.events).map((e) => mapEvent(e, cuts)),
    ...(links.length > 0 ? { links } : {}),
  };
}

function mapEvent(raw: Obj, cuts: DepthCuts): SpanEvent {
  const ns = nanos(raw.timeUnixNano) ?? 0n;
  return { name: str(raw.name), timeMs: nanosToMs(ns), attributes: keyValues(raw.attributes, 0, cuts) };
}

// A link with an invalid id points nowhere: it is dropped, the span is kept.
function mapLink(raw: Obj, cuts: DepthCuts): SpanLink[] {
  const traceId = id(raw.traceId);
  const spanId = id(raw.spanId);
  if (traceId === undefined || !isValidTraceId(traceId) || spanId === undefined || !isValidSpanId(spanId)) return [];
  return [{ traceId, spanId, attributes: keyValues(raw.attributes, 0, cuts) }];
}
