import { describe, expect, it } from 'vitest';
import { encodeOtlpResponse, otlpServiceTypes, type OtlpSignal } from './index.js';

describe('encodeOtlpResponse', () => {
  it.each([
    { signal: 'traces', rejected: 2, message: 'bad ids', json: { partialSuccess: { rejectedSpans: '2', errorMessage: 'bad ids' } } },
    { signal: 'metrics', rejected: 1, message: undefined, json: { partialSuccess: { rejectedDataPoints: '1' } } },
    { signal: 'logs', rejected: 0, message: 'use lowerCamelCase', json: { partialSuccess: { errorMessage: 'use lowerCamelCase' } } },
    { signal: 'logs', rejected: 0, message: undefined, json: {} },
    { signal: 'traces', rejected: 0, message: '', json: {} },
  ] as const)('$signal, $rejected rejected, message "$message" encodes in JSON and protobuf alike', ({ signal, rejected, message, json }) => {
    // GIVEN a decode outcome WHEN encoded for a JSON request and for a protobuf request
    const asJson = encodeOtlpResponse(signal, rejected, message, 'application/json; charset=utf-8');
    const asProto = encodeOtlpResponse(signal, rejected, message, 'application/x-protobuf');
    // THEN JSON carries partialSuccess only when needed (int64 as a string) and protobuf decodes to the same
    expect(asJson.contentType).toBe('application/json');
    expect(JSON.parse(asJson.body.toString('utf8'))).toEqual(json);
    expect(asProto.contentType).toBe('application/x-protobuf');
    const { response } = otlpServiceTypes(signal as OtlpSignal);
    expect(response.toObject(response.decode(asProto.body), { longs: String, defaults: false })).toEqual(json);
  });

  it('a full success is an empty protobuf message', () => {
    // GIVEN nothing rejected and no message WHEN encoded as protobuf THEN zero bytes
    expect(encodeOtlpResponse('metrics', 0, undefined, 'application/x-protobuf').body.length).toBe(0);
  });
});
