import { isInWindow, UNKNOWN_SERVICE, type Attributes, type Span, type SpanKind, type TimeWindow } from '../model/index.js';
import { InputError, type ErrorCode } from '../../shared/index.js';
import { doc, xrayAttributes, type Doc } from './attributes.js';
import { exceptionEvents, firstExceptionMessage } from './exceptions.js';
import { xraySpanId, xrayTraceIdToHex } from './ids.js';

// Deeper subsegment trees are refused rather than recursed into.
const MAX_DEPTH = 32;

interface Context {
  readonly traceId: string;
  readonly service: string;
  readonly resource: Attributes;
  readonly window: TimeWindow;
  readonly spans: Span[];
}

function fail(code: ErrorCode, path: string, message: string): never {
  throw new InputError(code, `${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * Maps an X-Ray segment document, or an independently sent subsegment document
 * (`type: "subsegment"` with `trace_id` and `parent_id`), to spans: the document
 * first, then its nested `subsegments` depth-first.
 * @throws InputError `SLW_ERR_XRAY_INVALID_ID`, `SLW_ERR_XRAY_MALFORMED` or
 *   `SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE`, with the path of the offending field.
 */
export function segmentToSpans(document: Doc, window: TimeWindow): Span[] {
  const traceId = xrayTraceIdToHex(document.trace_id);
  if (traceId === undefined) fail('SLW_ERR_XRAY_INVALID_ID', 'trace_id', `expected "1-<8 hex>-<24 hex>", got ${JSON.stringify(document.trace_id) ?? 'nothing'}`);
  const standalone = document.type === 'subsegment';
  const parentSpanId = document.parent_id === undefined && !standalone ? undefined : xraySpanId(document.parent_id);
  if ((standalone || document.parent_id !== undefined) && parentSpanId === undefined) {
    fail('SLW_ERR_XRAY_INVALID_ID', 'parent_id', `expected 16 hex characters, got ${JSON.stringify(document.parent_id) ?? 'nothing'}`);
  }
  const name = typeof document.name === 'string' ? document.name : '';
  // A segment names its service; a subsegment sent on its own does not say which service it belongs to.
  const service = standalone || name === '' ? UNKNOWN_SERVICE : name;
  const version = doc(document.service).version;
  const resource: Attributes = standalone
    ? {}
    : {
        'service.name': service,
        ...(typeof version === 'string' ? { 'service.version': version } : {}),
        ...(typeof document.origin === 'string' ? { 'xray.origin': document.origin } : {}),
      };
  const ctx: Context = { traceId, service, resource, window, spans: [] };
  mapNode(document, ctx, parentSpanId, standalone ? 'Subsegment' : 'Segment', '', 0);
  return ctx.spans;
}

function mapNode(d: Doc, ctx: Context, parentSpanId: string | undefined, role: 'Segment' | 'Subsegment', path: string, depth: number): void {
  const at = (field: string): string => (path === '' ? field : `${path}.${field}`);
  if (depth > MAX_DEPTH) fail('SLW_ERR_XRAY_MALFORMED', path, `subsegments nest deeper than ${MAX_DEPTH}`);
  const spanId = xraySpanId(d.id);
  if (spanId === undefined) fail('SLW_ERR_XRAY_INVALID_ID', at('id'), `expected 16 hex characters, got ${JSON.stringify(d.id) ?? 'nothing'}`);
  if (typeof d.name !== 'string' || d.name === '') fail('SLW_ERR_XRAY_MALFORMED', at('name'), 'a non-empty name is required');
  const inProgress = d.in_progress === true;
  const { startTimeMs, endTimeMs, durationMs } = timesOf(d, inProgress, ctx.window, at);
  const failed = d.error === true || d.fault === true || d.throttle === true;
  const statusMessage = failed ? firstExceptionMessage(d.cause) : undefined;
  const remote = d.namespace === 'remote' || d.namespace === 'aws';
  const kind: SpanKind = remote ? 'Client' : role === 'Segment' ? 'Server' : 'Internal';
  const attributes = { ...xrayAttributes(d), ...(remote ? { 'peer.service': d.name } : {}) };
  ctx.spans.push({
    traceId: ctx.traceId,
    spanId,
    ...(parentSpanId !== undefined ? { parentSpanId } : {}),
    name: d.name,
    kind,
    startTimeMs,
    endTimeMs,
    durationMs,
    statusCode: failed ? 'Error' : 'Unset',
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    service: ctx.service,
    resource: ctx.resource,
    attributes,
    events: exceptionEvents(d.cause, endTimeMs),
    ...(inProgress ? { inProgress } : {}),
  });
  if (d.subsegments === undefined) return;
  if (!Array.isArray(d.subsegments)) fail('SLW_ERR_XRAY_MALFORMED', at('subsegments'), 'expected an array');
  d.subsegments.forEach((sub, i) => mapNode(doc(sub), ctx, spanId, 'Subsegment', at(`subsegments[${i}]`), depth + 1));
}

// Seconds (floats) to milliseconds, rounded to the microsecond X-Ray SDKs record.
function ms(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

function timesOf(d: Doc, inProgress: boolean, window: TimeWindow, at: (f: string) => string): { startTimeMs: number; endTimeMs: number; durationMs: number } {
  if (typeof d.start_time !== 'number' || !Number.isFinite(d.start_time)) fail('SLW_ERR_XRAY_MALFORMED', at('start_time'), 'expected epoch seconds');
  const startTimeMs = ms(d.start_time);
  if (!isInWindow(startTimeMs, window)) fail('SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE', at('start_time'), `${d.start_time} is outside the accepted window`);
  if (inProgress) return { startTimeMs, endTimeMs: startTimeMs, durationMs: 0 };
  if (typeof d.end_time !== 'number' || !Number.isFinite(d.end_time)) fail('SLW_ERR_XRAY_MALFORMED', at('end_time'), 'expected epoch seconds (or in_progress: true)');
  const endTimeMs = ms(d.end_time);
  if (endTimeMs < startTimeMs || !isInWindow(endTimeMs, window)) fail('SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE', at('end_time'), `${d.end_time} is before start_time or outside the accepted window`);
  return { startTimeMs, endTimeMs, durationMs: Math.round((endTimeMs - startTimeMs) * 1e3) / 1e3 };
}
