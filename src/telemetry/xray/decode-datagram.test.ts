import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { InputError } from '../../shared/index.js';
import { decodeXrayDatagram, xrayTraceIdToHex } from './index.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const S0 = T0 / 1000;
const limits = { clock: new ManualClock(T0) };
const HEADER = '{"format": "json", "version": 1}\n';
const XRAY_TRACE = '1-5759e988-bd862e3fe1be46a994272793';
const TRACE = '5759e988bd862e3fe1be46a994272793';
const datagram = (doc: unknown, header = HEADER): Buffer => Buffer.from(header + JSON.stringify(doc));

const segment = {
  name: 'shop-api', id: '70de5b6f19ff9a0a', trace_id: XRAY_TRACE, start_time: S0 + 0.123456, end_time: S0 + 0.623456,
  origin: 'AWS::EC2::Instance', service: { version: '1.4.2' }, user: 'alice',
  http: { request: { method: 'POST', url: 'https://shop.example.com/orders', user_agent: 'curl/8.5', client_ip: '10.0.0.1' }, response: { status: 500, content_length: 120 } },
  fault: true,
  annotations: { customer_tier: 'gold', items: 3 },
  metadata: { debug: { cart: [1, 2] } },
  cause: { working_directory: '/app', exceptions: [{ id: 'a1b2c3d4e5f60718', message: 'Inventory unavailable', type: 'InventoryError', stack: [{ path: 'orders.js', line: 42, label: 'placeOrder' }, { path: 'server.js', line: 7, label: 'handle' }] }] },
  subsegments: [
    {
      name: 'inventory', id: '53995c3f42cd8ad8', start_time: S0 + 0.2, end_time: S0 + 0.3, namespace: 'remote', fault: true,
      http: { request: { method: 'GET', url: 'http://inventory:8080/stock/42' }, response: { status: 503 } },
      cause: { exceptions: [{ message: 'Service Unavailable', type: 'HttpError' }] },
    },
    {
      name: 'ebdb@shop-db.example.com', id: '4a6b7c5ee09d8d0e', start_time: S0 + 0.31, end_time: S0 + 0.35, namespace: 'remote',
      sql: { url: 'shop-db.example.com:5432/ebdb', sanitized_query: 'SELECT * FROM orders WHERE id = ?', database_type: 'PostgreSQL', database_version: '15.4', user: 'app' },
      subsegments: [{ name: 'map rows', id: '0f1e2d3c4b5a6978', start_time: S0 + 0.34, end_time: S0 + 0.345 }],
    },
    {
      name: 'DynamoDB', id: '1a2b3c4d5e6f7081', start_time: S0 + 0.4, end_time: S0 + 0.41, namespace: 'aws', error: true, throttle: true,
      aws: { operation: 'PutItem', region: 'us-east-1', table_name: 'orders', request_id: 'REQ123', retries: 2 },
    },
  ],
};

const resource = { 'service.name': 'shop-api', 'service.version': '1.4.2', 'xray.origin': 'AWS::EC2::Instance' };
const common = { traceId: TRACE, service: 'shop-api', resource };

describe('decodeXrayDatagram', () => {
  it('maps a segment with http, sql, fault, throttle and exceptions to spans', () => {
    // GIVEN a realistic segment with remote, SQL, AWS and nested subsegments WHEN decoded
    const spans = decodeXrayDatagram(datagram(segment), limits);
    // THEN one span per (sub)segment, depth-first, with the X-Ray fields as attributes
    expect(spans).toEqual([
      {
        ...common, spanId: '70de5b6f19ff9a0a', name: 'shop-api', kind: 'Server',
        startTimeMs: T0 + 123.456, endTimeMs: T0 + 623.456, durationMs: 500,
        statusCode: 'Error', statusMessage: 'Inventory unavailable',
        attributes: {
          customer_tier: 'gold', items: 3, 'xray.metadata.debug': '{"cart":[1,2]}',
          'http.method': 'POST', 'http.url': 'https://shop.example.com/orders', 'http.user_agent': 'curl/8.5', 'http.client_ip': '10.0.0.1',
          'http.status_code': 500, 'http.response_content_length': 120, 'enduser.id': 'alice', 'xray.fault': true,
        },
        events: [{
          name: 'exception', timeMs: T0 + 623.456,
          attributes: { 'exception.type': 'InventoryError', 'exception.message': 'Inventory unavailable', 'exception.stacktrace': 'at placeOrder (orders.js:42)\nat handle (server.js:7)' },
        }],
      },
      {
        ...common, spanId: '53995c3f42cd8ad8', parentSpanId: '70de5b6f19ff9a0a', name: 'inventory', kind: 'Client',
        startTimeMs: T0 + 200, endTimeMs: T0 + 300, durationMs: 100, statusCode: 'Error', statusMessage: 'Service Unavailable',
        attributes: { 'http.method': 'GET', 'http.url': 'http://inventory:8080/stock/42', 'http.status_code': 503, 'xray.namespace': 'remote', 'xray.fault': true, 'peer.service': 'inventory' },
        events: [{ name: 'exception', timeMs: T0 + 300, attributes: { 'exception.type': 'HttpError', 'exception.message': 'Service Unavailable' } }],
      },
      {
        ...common, spanId: '4a6b7c5ee09d8d0e', parentSpanId: '70de5b6f19ff9a0a', name: 'ebdb@shop-db.example.com', kind: 'Client',
        startTimeMs: T0 + 310, endTimeMs: T0 + 350, durationMs: 40, statusCode: 'Unset',
        attributes: {
          'db.statement': 'SELECT * FROM orders WHERE id = ?', 'db.system': 'postgresql', 'db.name': 'ebdb', 'db.user': 'app',
          'db.connection_string': 'shop-db.example.com:5432/ebdb', 'xray.namespace': 'remote', 'peer.service': 'ebdb@shop-db.example.com',
        },
        events: [],
      },
      {
        ...common, spanId: '0f1e2d3c4b5a6978', parentSpanId: '4a6b7c5ee09d8d0e', name: 'map rows', kind: 'Internal',
        startTimeMs: T0 + 340, endTimeMs: T0 + 345, durationMs: 5, statusCode: 'Unset', attributes: {}, events: [],
      },
      {
        ...common, spanId: '1a2b3c4d5e6f7081', parentSpanId: '70de5b6f19ff9a0a', name: 'DynamoDB', kind: 'Client',
        startTimeMs: T0 + 400, endTimeMs: T0 + 410, durationMs: 10, statusCode: 'Error',
        attributes: {
          'aws.operation': 'PutItem', 'aws.region': 'us-east-1', 'aws.request_id': 'REQ123', 'aws.table_name': 'orders',
          'xray.namespace': 'aws', 'xray.error': true, 'xray.throttle': true, 'peer.service': 'DynamoDB',
        },
        events: [],
      },
    ]);
  });

  it('marks an in-progress segment and keeps an upstream parent', () => {
    // GIVEN a segment still in progress, called from another service WHEN decoded
    const spans = decodeXrayDatagram(datagram({ name: 'worker', id: '70de5b6f19ff9a0a', trace_id: XRAY_TRACE, parent_id: '53995c3f42cd8ad8', start_time: S0, in_progress: true }), limits);
    // THEN the span has no duration yet and says so
    expect(spans).toEqual([{
      traceId: TRACE, spanId: '70de5b6f19ff9a0a', parentSpanId: '53995c3f42cd8ad8', name: 'worker', kind: 'Server',
      startTimeMs: T0, endTimeMs: T0, durationMs: 0, statusCode: 'Unset', service: 'worker', resource: { 'service.name': 'worker' },
      attributes: {}, events: [], inProgress: true,
    }]);
  });

  it('maps a subsegment sent on its own under its parent', () => {
    // GIVEN an independent subsegment document WHEN decoded
    const spans = decodeXrayDatagram(datagram({ type: 'subsegment', name: 'S3', id: '1a2b3c4d5e6f7081', trace_id: XRAY_TRACE, parent_id: '70de5b6f19ff9a0a', start_time: S0, end_time: S0 + 0.25, namespace: 'aws', aws: { operation: 'GetObject' } }), limits);
    // THEN it is a client span whose service is unknown (the document does not name it)
    expect(spans).toEqual([{
      traceId: TRACE, spanId: '1a2b3c4d5e6f7081', parentSpanId: '70de5b6f19ff9a0a', name: 'S3', kind: 'Client',
      startTimeMs: T0, endTimeMs: T0 + 250, durationMs: 250, statusCode: 'Unset', service: 'unknown_service', resource: {},
      attributes: { 'aws.operation': 'GetObject', 'xray.namespace': 'aws', 'peer.service': 'S3' }, events: [],
    }]);
  });

  const ok = { name: 'svc', id: '70de5b6f19ff9a0a', trace_id: XRAY_TRACE, start_time: S0, end_time: S0 + 1 };
  it.each([
    { what: 'no header line', buf: Buffer.from(JSON.stringify(ok)), code: 'SLW_ERR_XRAY_NO_HEADER', path: undefined },
    { what: 'a header that is not JSON', buf: datagram(ok, 'hello\n'), code: 'SLW_ERR_XRAY_BAD_HEADER', path: undefined },
    { what: 'format xml', buf: datagram(ok, '{"format":"xml","version":1}\n'), code: 'SLW_ERR_XRAY_BAD_HEADER', path: undefined },
    { what: 'version 2', buf: datagram(ok, '{"format":"json","version":2}\n'), code: 'SLW_ERR_XRAY_BAD_HEADER', path: undefined },
    { what: 'a body that is not JSON', buf: Buffer.from(`${HEADER}{"name":`), code: 'SLW_ERR_XRAY_MALFORMED', path: undefined },
    { what: 'a body that is an array', buf: datagram([ok]), code: 'SLW_ERR_XRAY_MALFORMED', path: undefined },
    { what: 'more than 64 KB', buf: datagram({ ...ok, pad: 'x'.repeat(64 * 1024) }), code: 'SLW_ERR_XRAY_TOO_LARGE', path: undefined },
    { what: 'no trace id', buf: datagram({ ...ok, trace_id: undefined }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'trace_id' },
    { what: 'a malformed trace id', buf: datagram({ ...ok, trace_id: '1-5759e988-xyz' }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'trace_id' },
    { what: 'no id', buf: datagram({ ...ok, id: undefined }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'id' },
    { what: 'an all-zero id', buf: datagram({ ...ok, id: '0000000000000000' }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'id' },
    { what: 'a subsegment document without parent_id', buf: datagram({ ...ok, type: 'subsegment' }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'parent_id' },
    { what: 'a nested subsegment with a bad id', buf: datagram({ ...ok, subsegments: [{ ...ok, id: 'nope' }] }), code: 'SLW_ERR_XRAY_INVALID_ID', path: 'subsegments[0].id' },
    { what: 'no name', buf: datagram({ ...ok, name: undefined }), code: 'SLW_ERR_XRAY_MALFORMED', path: 'name' },
    { what: 'no start_time', buf: datagram({ ...ok, start_time: 'now' }), code: 'SLW_ERR_XRAY_MALFORMED', path: 'start_time' },
    { what: 'no end_time and not in progress', buf: datagram({ ...ok, end_time: undefined }), code: 'SLW_ERR_XRAY_MALFORMED', path: 'end_time' },
    { what: 'subsegments that are not an array', buf: datagram({ ...ok, subsegments: {} }), code: 'SLW_ERR_XRAY_MALFORMED', path: 'subsegments' },
    { what: 'an end before the start', buf: datagram({ ...ok, end_time: S0 - 1 }), code: 'SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE', path: 'end_time' },
    { what: 'a start 2 days ahead', buf: datagram({ ...ok, start_time: S0 + 2 * 86_400, end_time: S0 + 2 * 86_400 }), code: 'SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE', path: 'start_time' },
    { what: 'a start 31 days back', buf: datagram({ ...ok, start_time: S0 - 31 * 86_400 }), code: 'SLW_ERR_XRAY_TIMESTAMP_OUT_OF_RANGE', path: 'start_time' },
  ])('a datagram with $what is refused with $code', ({ buf, code, path }) => {
    // GIVEN a bad datagram WHEN decoded THEN a typed InputError with the code (and the field path)
    let error: unknown;
    try {
      decodeXrayDatagram(buf, limits);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect({ code: (error as InputError).code, path: (error as InputError).issues[0]?.path }).toEqual({ code, path });
  });
});

describe('xrayTraceIdToHex', () => {
  it.each([
    { given: XRAY_TRACE, expected: TRACE },
    { given: '1-5759E988-BD862E3FE1BE46A994272793', expected: TRACE },
    { given: '2-5759e988-bd862e3fe1be46a994272793', expected: undefined },
    { given: '1-00000000-000000000000000000000000', expected: undefined },
    { given: '5759e988bd862e3fe1be46a994272793', expected: undefined },
    { given: 42, expected: undefined },
  ])('$given → $expected', ({ given, expected }) => {
    // GIVEN an X-Ray trace id WHEN converted THEN the 32-hex id or undefined
    expect(xrayTraceIdToHex(given)).toBe(expected);
  });
});
