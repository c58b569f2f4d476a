import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { InputError } from '../../shared/index.js';
import { decodeOtlpLogs, decodeOtlpMetrics, decodeOtlpTraces, otlpServiceTypes, type OtlpSignal } from './index.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = new ManualClock(T0);
const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const PARENT = 'aaa19b7ec3c1b174';
const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/x-protobuf';

// The same payload as protobuf: OTLP/JSON ids are hex, protobufjs reads bytes from base64.
function toProtobuf(signal: OtlpSignal, json: unknown): Buffer {
  const convert = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => convert(x));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x, k)]));
    if (typeof v === 'string' && ['traceId', 'spanId', 'parentSpanId'].includes(key)) return Buffer.from(v, 'hex').toString('base64');
    return v;
  };
  const { request } = otlpServiceTypes(signal);
  return Buffer.from(request.encode(request.fromObject(convert(json) as Record<string, unknown>)).finish());
}

const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }, { key: 'host.cores', value: { intValue: '8' } }] };

const goldenTraces = {
  resourceSpans: [{
    resource,
    scopeSpans: [{
      scope: { name: 'cart-http', version: '2.0.0' },
      spans: [{
        traceId: TRACE.toUpperCase(), spanId: SPAN, parentSpanId: PARENT, name: 'POST /cart', kind: 2,
        startTimeUnixNano: ns(T0), endTimeUnixNano: (BigInt(ns(T0 + 12)) + 345_000n).toString(),
        attributes: [
          { key: 'http.status_code', value: { intValue: 201 } },
          { key: 'ok', value: { boolValue: true } },
          { key: 'ratio', value: { doubleValue: 0.25 } },
          { key: 'big', value: { intValue: '9007199254740993' } },
          { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
          { key: 'raw', value: { bytesValue: 'AQID' } },
          { key: 'empty', value: {} },
        ],
        events: [{ timeUnixNano: ns(T0 + 5), name: 'retry', attributes: [{ key: 'attempt', value: { intValue: '1' } }] }],
        links: [{ traceId: TRACE, spanId: PARENT, attributes: [] }],
        status: { code: 2, message: 'payment declined' },
      }],
    }],
  }],
};

const expectedSpan = {
  traceId: TRACE, spanId: SPAN, parentSpanId: PARENT, name: 'POST /cart', kind: 'Server',
  startTimeMs: T0, endTimeMs: T0 + 12.345, durationMs: 12.345, statusCode: 'Error', statusMessage: 'payment declined',
  service: 'cart', resource: { 'service.name': 'cart', 'host.cores': 8 }, scope: { name: 'cart-http', version: '2.0.0' },
  attributes: { 'http.status_code': 201, ok: true, ratio: 0.25, big: '9007199254740993', tags: ['a', 2], map: { k: 'v' }, raw: 'AQID', empty: null },
  events: [{ name: 'retry', timeMs: T0 + 5, attributes: { attempt: 1 } }],
  links: [{ traceId: TRACE, spanId: PARENT, attributes: {} }],
};

describe('decodeOtlpTraces', () => {
  it.each([
    { encoding: 'json', body: () => Buffer.from(JSON.stringify(goldenTraces)), contentType: 'application/json; charset=utf-8', contentEncoding: undefined },
    { encoding: 'protobuf', body: () => toProtobuf('traces', goldenTraces), contentType: PROTO_TYPE, contentEncoding: undefined },
    { encoding: 'json+gzip', body: () => gzipSync(JSON.stringify(goldenTraces)), contentType: JSON_TYPE, contentEncoding: 'gzip' },
    { encoding: 'protobuf+gzip', body: () => gzipSync(toProtobuf('traces', goldenTraces)), contentType: PROTO_TYPE, contentEncoding: 'GZIP' },
  ])('the golden payload as $encoding decodes to the same span', ({ body, contentType, contentEncoding }) => {
    // GIVEN the golden request WHEN decoded THEN exactly the expected span, nothing rejected
    expect(decodeOtlpTraces(body(), contentType, contentEncoding, { clock })).toEqual({ spans: [expectedSpan], rejected: 0 });
  });

  const base = { traceId: TRACE, spanId: SPAN, name: 'x', startTimeUnixNano: ns(T0), endTimeUnixNano: ns(T0 + 1) };
  it.each([
    { what: 'a short trace id', span: { ...base, traceId: 'abcd' }, reason: 'an invalid trace or span id (SLW_ERR_OTLP_INVALID_ID)' },
    { what: 'an all-zero trace id', span: { ...base, traceId: '0'.repeat(32) }, reason: 'an invalid trace or span id (SLW_ERR_OTLP_INVALID_ID)' },
    { what: 'a base64 span id', span: { ...base, spanId: '7uGbfsPBsXQ=' }, reason: 'an invalid trace or span id (SLW_ERR_OTLP_INVALID_ID)' },
    { what: 'a missing span id', span: { ...base, spanId: undefined }, reason: 'an invalid trace or span id (SLW_ERR_OTLP_INVALID_ID)' },
    { what: 'a start 2 days ahead', span: { ...base, startTimeUnixNano: ns(T0 + 2 * 86_400_000), endTimeUnixNano: ns(T0 + 2 * 86_400_000) }, reason: 'a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE)' },
    { what: 'a start 31 days back', span: { ...base, startTimeUnixNano: ns(T0 - 31 * 86_400_000) }, reason: 'a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE)' },
    { what: 'an end before the start', span: { ...base, endTimeUnixNano: ns(T0 - 1) }, reason: 'a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE)' },
  ])('a span with $what is rejected and counted, the others are kept', ({ span, reason }) => {
    // GIVEN one good span and one bad span
    const request = { resourceSpans: [{ resource, scopeSpans: [{ spans: [base, span] }] }] };
    // WHEN decoded as JSON and as protobuf (where the id survives the conversion)
    const result = decodeOtlpTraces(Buffer.from(JSON.stringify(request)), JSON_TYPE, undefined, { clock });
    // THEN the good one is accepted and the partial-success message says why the other was not
    expect(result.spans.map((s) => s.spanId)).toEqual([SPAN]);
    expect(result.rejected).toBe(1);
    const window = reason.includes('TIMESTAMP') ? '; accepted times are 2025-12-02T12:00:00.000Z to 2026-01-02T12:00:00.000Z' : '';
    expect(result.errorMessage).toBe(`rejected 1 of 2 spans: 1 with ${reason}${window}`);
  });

  it('an all-zero parent span id means a root span in both encodings', () => {
    // GIVEN a span whose parent id is all zeros
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [{ ...base, parentSpanId: '0'.repeat(16) }] }] }] };
    // WHEN decoded THEN it is accepted as a root span of an unknown service
    for (const [body, type] of [[Buffer.from(JSON.stringify(request)), JSON_TYPE], [toProtobuf('traces', request), PROTO_TYPE]] as const) {
      const { spans, rejected } = decodeOtlpTraces(body, type, undefined, { clock });
      expect({ rejected, parent: spans[0]?.parentSpanId, service: spans[0]?.service }).toEqual({ rejected: 0, parent: undefined, service: 'unknown_service' });
    }
  });

  it('a custom window applies', () => {
    // GIVEN a span 2 hours old and a window of 1 hour WHEN decoded THEN it is rejected
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [{ ...base, startTimeUnixNano: ns(T0 - 7_200_000), endTimeUnixNano: ns(T0 - 7_100_000) }] }] }] };
    expect(decodeOtlpTraces(Buffer.from(JSON.stringify(request)), JSON_TYPE, undefined, { clock, maxAgeMs: 3_600_000 }).rejected).toBe(1);
  });

  it('snake_case keys are ignored as unknown fields, with a warning', () => {
    // GIVEN a JSON body using the protobuf field names WHEN decoded
    const result = decodeOtlpTraces(Buffer.from(JSON.stringify({ resource_spans: [{ scope_spans: [{ spans: [base] }] }] })), JSON_TYPE, undefined, { clock });
    // THEN nothing is stored, nothing is counted as rejected, and the message says why
    expect(result).toEqual({ spans: [], rejected: 0, errorMessage: 'no "resourceSpans" field found (got "resource_spans"): OTLP/JSON field names are lowerCamelCase' });
  });

  it.each([
    { what: 'a text/plain body', body: Buffer.from('{}'), type: 'text/plain', encoding: undefined, code: 'SLW_ERR_OTLP_UNSUPPORTED_MEDIA', status: 415 },
    { what: 'a brotli body', body: Buffer.from('{}'), type: JSON_TYPE, encoding: 'br', code: 'SLW_ERR_OTLP_UNSUPPORTED_ENCODING', status: 415 },
    { what: 'a body that is not gzip', body: Buffer.from('{}'), type: JSON_TYPE, encoding: 'gzip', code: 'SLW_ERR_OTLP_MALFORMED', status: 400 },
    { what: 'invalid JSON', body: Buffer.from('{"resourceSpans":'), type: JSON_TYPE, encoding: undefined, code: 'SLW_ERR_OTLP_MALFORMED', status: 400 },
    { what: 'a JSON array', body: Buffer.from('[]'), type: JSON_TYPE, encoding: undefined, code: 'SLW_ERR_OTLP_MALFORMED', status: 400 },
    { what: 'invalid protobuf', body: Buffer.from([0x0a, 0xff, 0xff, 0xff]), type: PROTO_TYPE, encoding: undefined, code: 'SLW_ERR_OTLP_MALFORMED', status: 400 },
    { what: 'a gzip bomb (20 MiB of zeros in ~20 KB)', body: gzipSync(Buffer.alloc(20 * 1024 * 1024)), type: PROTO_TYPE, encoding: 'gzip', code: 'SLW_ERR_OTLP_TOO_LARGE', status: 413 },
    { what: 'a plain body over the limit', body: Buffer.alloc(11 * 1024 * 1024), type: PROTO_TYPE, encoding: undefined, code: 'SLW_ERR_OTLP_TOO_LARGE', status: 413 },
  ])('$what is refused with $code', ({ body, type, encoding, code, status }) => {
    // GIVEN an unusable body WHEN decoded THEN a typed InputError with the right code and status
    const error = (() => {
      try {
        decodeOtlpTraces(body, type, encoding);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect({ code: (error as InputError).code, status: (error as InputError).status }).toEqual({ code, status });
  });

  it('the decompressed size limit is configurable', () => {
    // GIVEN 2 KB of JSON gzipped and a 1 KB limit WHEN decoded THEN 413
    const body = gzipSync(JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(2048) }));
    expect(() => decodeOtlpTraces(body, JSON_TYPE, 'gzip', { maxDecompressedBytes: 1024 })).toThrow(expect.objectContaining({ code: 'SLW_ERR_OTLP_TOO_LARGE' }));
    expect(decodeOtlpTraces(body, JSON_TYPE, 'gzip', { maxDecompressedBytes: 4096 }).spans).toEqual([]);
  });
});

const goldenMetrics = {
  resourceMetrics: [{
    resource,
    scopeMetrics: [{
      scope: { name: 'cart-metrics' },
      metrics: [
        { name: 'queue.depth', unit: '{item}', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asInt: '7', attributes: [{ key: 'queue', value: { stringValue: 'orders' } }] }] } },
        { name: 'requests', description: 'Requests', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ startTimeUnixNano: ns(T0 - 10_000), timeUnixNano: ns(T0), asDouble: 12.5 }] } },
        { name: 'latency', unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: [{ startTimeUnixNano: ns(T0 - 60_000), timeUnixNano: ns(T0), count: '3', sum: 35, min: 5, max: 20, bucketCounts: ['1', '2', '0'], explicitBounds: [10, 50] }] } },
        { name: 'size', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: ns(T0), count: '4', sum: 10, scale: 2, zeroCount: '1', positive: { offset: -1, bucketCounts: ['1', '2'] }, negative: {} }] } },
        { name: 'rpc.duration', summary: { dataPoints: [{ timeUnixNano: ns(T0), count: '10', sum: 99.5, quantileValues: [{ quantile: 0.5, value: 8 }, { quantile: 1, value: 30 }] }] } },
        { name: 'stale', gauge: { dataPoints: [{ timeUnixNano: ns(T0), flags: 1 }] } },
        { name: 'bad', gauge: { dataPoints: [{ timeUnixNano: ns(T0) }, { timeUnixNano: '0', asInt: '1' }] } },
        { name: 'bad.histogram', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: ns(T0), count: '1', bucketCounts: ['1'], explicitBounds: [10] }] } },
      ],
    }],
  }],
};

const metricBase = { service: 'cart', resource: { 'service.name': 'cart', 'host.cores': 8 }, scope: { name: 'cart-metrics' }, timeMs: T0, unit: '', description: '', attributes: {} };
const expectedPoints = [
  { ...metricBase, name: 'queue.depth', unit: '{item}', kind: 'Gauge', attributes: { queue: 'orders' }, value: 7 },
  { ...metricBase, name: 'requests', description: 'Requests', kind: 'Sum', temporality: 'Delta', monotonic: true, startTimeMs: T0 - 10_000, value: 12.5 },
  { ...metricBase, name: 'latency', unit: 'ms', kind: 'Histogram', temporality: 'Cumulative', startTimeMs: T0 - 60_000, histogram: { count: 3, sum: 35, min: 5, max: 20, bucketCounts: [1, 2, 0], explicitBounds: [10, 50] } },
  { ...metricBase, name: 'size', kind: 'ExponentialHistogram', temporality: 'Delta', exponentialHistogram: { count: 4, sum: 10, scale: 2, zeroCount: 1, zeroThreshold: 0, positive: { offset: -1, bucketCounts: [1, 2] }, negative: { offset: 0, bucketCounts: [] } } },
  { ...metricBase, name: 'rpc.duration', kind: 'Summary', temporality: 'Cumulative', summary: { count: 10, sum: 99.5, quantiles: [{ quantile: 0.5, value: 8 }, { quantile: 1, value: 30 }] } },
  { ...metricBase, name: 'stale', kind: 'Gauge', noRecordedValue: true },
];

describe('decodeOtlpMetrics', () => {
  it.each([
    { encoding: 'json', body: () => Buffer.from(JSON.stringify(goldenMetrics)), contentType: JSON_TYPE },
    { encoding: 'protobuf', body: () => toProtobuf('metrics', goldenMetrics), contentType: PROTO_TYPE },
  ])('the golden payload as $encoding decodes to the same points, rejecting the invalid ones', ({ body, contentType }) => {
    // GIVEN every metric type plus three invalid points WHEN decoded
    const result = decodeOtlpMetrics(body(), contentType, undefined, { clock });
    // THEN the valid points come out exactly; the invalid ones are counted with their reasons
    expect(result).toEqual({
      points: expectedPoints,
      rejected: 3,
      errorMessage: 'rejected 3 of 9 data points: 2 with no valid value (SLW_ERR_OTLP_MALFORMED); 1 with a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE); accepted times are 2025-12-02T12:00:00.000Z to 2026-01-02T12:00:00.000Z',
    });
  });
});

const goldenLogs = {
  resourceLogs: [{
    resource,
    scopeLogs: [{
      scope: { name: 'cart-log' },
      logRecords: [
        { timeUnixNano: ns(T0), observedTimeUnixNano: ns(T0 + 1), severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'payment failed' }, attributes: [{ key: 'order', value: { intValue: '42' } }], traceId: TRACE, spanId: SPAN, eventName: 'payment.failed' },
        { observedTimeUnixNano: ns(T0 + 2), body: { kvlistValue: { values: [{ key: 'a', value: { intValue: '1' } }] } }, traceId: '0'.repeat(32), spanId: SPAN },
        { body: { arrayValue: { values: [{ boolValue: false }] } } },
        { timeUnixNano: ns(T0 + 3 * 86_400_000), body: { stringValue: 'from the future' } },
      ],
    }],
  }],
};

describe('decodeOtlpLogs', () => {
  it.each([
    { encoding: 'json', body: () => Buffer.from(JSON.stringify(goldenLogs)), contentType: JSON_TYPE },
    { encoding: 'protobuf', body: () => toProtobuf('logs', goldenLogs), contentType: PROTO_TYPE },
  ])('the golden payload as $encoding decodes to the same records', ({ body, contentType }) => {
    // GIVEN records with string, map and array bodies, a zero trace id, no times, and a future time
    const result = decodeOtlpLogs(body(), contentType, undefined, { clock });
    // THEN bodies are strings, an invalid trace id is dropped (not rejected), missing times are the receive time
    const common = { service: 'cart', resource: { 'service.name': 'cart', 'host.cores': 8 }, scope: { name: 'cart-log' }, severityNumber: 0, severityText: '', attributes: {} };
    expect(result).toEqual({
      records: [
        { ...common, timeMs: T0, observedTimeMs: T0 + 1, severityNumber: 17, severityText: 'ERROR', body: 'payment failed', attributes: { order: 42 }, traceId: TRACE, spanId: SPAN, eventName: 'payment.failed' },
        { ...common, timeMs: T0 + 2, observedTimeMs: T0 + 2, body: '{"a":1}' },
        { ...common, timeMs: T0, observedTimeMs: T0, body: '[false]' },
      ],
      rejected: 1,
      errorMessage: 'rejected 1 of 4 log records: 1 with a timestamp missing or outside the accepted window (SLW_ERR_OTLP_TIMESTAMP_OUT_OF_RANGE); accepted times are 2025-12-02T12:00:00.000Z to 2026-01-02T12:00:00.000Z',
    });
  });
});
