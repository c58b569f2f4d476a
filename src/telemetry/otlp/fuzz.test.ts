import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { decodeOtlpLogs, decodeOtlpMetrics, decodeOtlpTraces, otlpServiceTypes } from './index.js';

// Whatever arrives, the decoders answer with a result or a typed InputError, never another throw.

const decoders = [decodeOtlpTraces, decodeOtlpMetrics, decodeOtlpLogs];

function onlyInputErrors(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (err) {
    return err instanceof InputError;
  }
}

// JSON shaped like an OTLP request, with wrong types sprinkled everywhere.
const anything = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.constantFrom('NaN', 'Infinity', '18446744073709551615', '-1', 'ffff', '0'.repeat(32)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('resourceSpans', 'resourceMetrics', 'resourceLogs', 'resource', 'attributes', 'key', 'value', 'scopeSpans', 'scopeMetrics', 'scopeLogs',
        'spans', 'metrics', 'logRecords', 'traceId', 'spanId', 'startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano', 'gauge', 'sum', 'histogram',
        'exponentialHistogram', 'summary', 'dataPoints', 'asInt', 'asDouble', 'bucketCounts', 'explicitBounds', 'kvlistValue', 'arrayValue', 'values',
        'stringValue', 'intValue', 'bytesValue', 'body', 'status', 'code', 'kind', 'events', 'links', 'flags', '__proto__', 'constructor'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

describe('OTLP decoders under fuzzing', () => {
  it('random bytes as protobuf, JSON or gzip throw only InputError', () => {
    // GIVEN arbitrary bytes WHEN decoded in every encoding THEN only typed errors
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom('application/x-protobuf', 'application/json'), fc.constantFrom(undefined, 'gzip'), (bytes, type, enc) =>
      decoders.every((decode) => onlyInputErrors(() => decode(Buffer.from(bytes), type, enc)))), { numRuns: 300 });
  });

  it('random OTLP-shaped JSON throws only InputError', () => {
    // GIVEN JSON with OTLP keys and values of any type WHEN decoded THEN only typed errors
    fc.assert(fc.property(anything, (value) => {
      const body = Buffer.from(JSON.stringify(value) ?? 'null');
      return decoders.every((decode) => onlyInputErrors(() => decode(body, 'application/json')));
    }), { numRuns: 500 });
  });

  it('valid protobuf requests with random fields throw only InputError', () => {
    // GIVEN real protobuf encodings of random requests WHEN decoded THEN only typed errors
    const { request } = otlpServiceTypes('traces');
    fc.assert(fc.property(fc.array(fc.record({ traceId: fc.uint8Array({ maxLength: 20 }), spanId: fc.uint8Array({ maxLength: 10 }), name: fc.string(), kind: fc.integer({ min: 0, max: 9 }), startTimeUnixNano: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String) }), { maxLength: 4 }), (spans) => {
      const body = Buffer.from(request.encode(request.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish());
      return onlyInputErrors(() => decodeOtlpTraces(body, 'application/x-protobuf'));
    }), { numRuns: 200 });
  });

  it('deeply nested JSON is refused or cut, not a stack overflow', () => {
    // GIVEN an AnyValue nested 10 000 levels deep WHEN decoded THEN no crash
    let value = '{"stringValue":"x"}';
    for (let i = 0; i < 10_000; i++) value = `{"arrayValue":{"values":[${value}]}}`;
    const body = Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${value}}]}]}]}`);
    expect(onlyInputErrors(() => decodeOtlpLogs(body, 'application/json'))).toBe(true);
  });
});
