import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/index.js';
import { auth, testServer } from '../../test/support/server.js';
import { createTelemetry, type Telemetry } from './index.js';
import { otlpServiceTypes, type OtlpSignal } from './otlp/index.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/x-protobuf';

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

const resource = (service: string) => ({
  attributes: [
    { key: 'service.name', value: { stringValue: service } },
    { key: 'deployment.environment.name', value: { stringValue: 'production' } },
    { key: 'service.instance.id', value: { stringValue: `${service}-task-1` } },
  ],
});

function tracesPayload(traceId: string) {
  return {
    resourceSpans: [{
      resource: resource('gateway'),
      scopeSpans: [{
        scope: { name: 'http', version: '1.0.0' },
        spans: [
          { traceId, spanId: '1000000000000001', name: 'GET /cart', kind: 2, startTimeUnixNano: ns(T0), endTimeUnixNano: ns(T0 + 40),
            attributes: [{ key: 'http.response.status_code', value: { intValue: 200 } }], status: {} },
          { traceId, spanId: '1000000000000002', parentSpanId: '1000000000000001', name: 'SELECT cart', kind: 3, startTimeUnixNano: ns(T0 + 5), endTimeUnixNano: ns(T0 + 25),
            attributes: [{ key: 'db.system', value: { stringValue: 'sqlite' } }, { key: 'db.statement', value: { stringValue: 'SELECT * FROM cart WHERE id = 1' } }],
            events: [{ name: 'exception', timeUnixNano: ns(T0 + 20), attributes: [{ key: 'exception.message', value: { stringValue: 'slow' } }] }],
            status: { code: 2, message: 'boom' } },
        ],
      }],
    }],
  };
}

const metricsPayload = (name: string) => ({
  resourceMetrics: [{
    resource: resource('gateway'),
    scopeMetrics: [{
      metrics: [
        { name: `${name}.inflight`, gauge: { dataPoints: [{ timeUnixNano: ns(T0 + 1000), asDouble: 3.5, attributes: [{ key: 'route', value: { stringValue: '/cart' } }] }, { timeUnixNano: ns(T0 + 2000), asDouble: 1.5, attributes: [{ key: 'route', value: { stringValue: '/cart' } }] }] } },
        { name: `${name}.requests`, sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: ns(T0 + 1000), asInt: '7' }, { timeUnixNano: ns(T0 + 2000), asInt: '5' }] } },
      ],
    }],
  }],
});

const logsPayload = (tag: string) => ({
  resourceLogs: [{
    resource: resource('gateway'),
    scopeLogs: [{
      logRecords: [
        { timeUnixNano: ns(T0 + 100), severityNumber: 9, severityText: 'INFO', body: { stringValue: `${tag} started` }, attributes: [{ key: 'route', value: { stringValue: '/cart' } }] },
        { timeUnixNano: ns(T0 + 200), severityNumber: 17, severityText: 'ERROR', body: { stringValue: `${tag} failed` }, traceId: 'abcdef0123456789abcdef0123456789', spanId: '1000000000000001' },
      ],
    }],
  }],
});

describe('telemetry over real sockets and the API', () => {
  let dir: string;
  let telemetry: Telemetry;
  let clock: ManualClock;
  let otlp: string;
  let xrayPort: number;
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-telemetry-'));
    clock = new ManualClock(T0 + 60_000);
    telemetry = createTelemetry({ dataDir: dir, clock, otlpPort: 0, xrayPort: 0, bodyLimitBytes: 64 * 1024 });
    const ports = await telemetry.start();
    otlp = `http://127.0.0.1:${ports.otlpPort ?? 0}`;
    xrayPort = ports.xrayPort ?? 0;
    ({ app, close } = await testServer({ routes: [telemetry.routes] }));
  });
  afterEach(async () => {
    await close();
    await telemetry.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Every sender here uses the app's own key, as the user's tools would.
  const post = (signal: string, body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${otlp}/v1/${signal}`, { method: 'POST', body, headers: { 'x-slipway-ingest-key': telemetry.ingestKeys().appKey, ...headers } });
  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: T }> => {
    const res = await app.inject({ method, url, headers: auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.json<T>() };
  };

  it('stores the same spans from OTLP/JSON and OTLP/protobuf', async () => {
    const jsonTrace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const protoTrace = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    // WHEN the golden payload arrives once as JSON and once (another trace id) as gzipped protobuf
    const r1 = await post('traces', JSON.stringify(tracesPayload(jsonTrace)), { 'content-type': JSON_TYPE });
    const r2 = await post('traces', gzipSync(toProtobuf('traces', tracesPayload(protoTrace))), { 'content-type': PROTO_TYPE, 'content-encoding': 'gzip' });
    expect([r1.status, await r1.text(), r2.status, r2.headers.get('content-type'), (await r2.arrayBuffer()).byteLength]).toEqual([200, '{}', 200, PROTO_TYPE, 0]);
    // THEN both traces read back identically but for the trace id
    const a = await api<{ spans: unknown[] }>('GET', `/api/v1/traces/${jsonTrace}`);
    const b = await api<{ spans: unknown[] }>('GET', `/api/v1/traces/${protoTrace}`);
    expect(a.status).toBe(200);
    expect(JSON.stringify(b.body).replaceAll(protoTrace, jsonTrace)).toBe(JSON.stringify(a.body));
    expect(a.body).toMatchObject({
      rootService: 'gateway', rootOperation: 'GET /cart', durationMs: 40, spanCount: 2, criticalPath: ['1000000000000001', '1000000000000002'],
      spans: [{ name: 'GET /cart', depth: 0, selfTimeMs: 20, kind: 'Server' }, { name: 'SELECT cart', depth: 1, selfTimeMs: 20, kind: 'Client', status: 'Error' }],
      errors: [{ spanId: '1000000000000002', service: 'gateway', name: 'SELECT cart', timeMs: T0 + 20, message: 'slow' }],
    });
    const list = await api<{ traces: { traceId: string; error: boolean }[] }>('GET', '/api/v1/traces?service=gateway&status=Error&since=1h');
    expect(list.body.traces.map((t) => [t.traceId, t.error])).toEqual([[protoTrace, true], [jsonTrace, true]]);
    const slow = await api<{ queries: { statement: string; count: number }[] }>('GET', '/api/v1/traces/slow-queries?since=1h');
    expect(slow.body.queries.map((q) => [q.statement, q.count])).toEqual([['SELECT * FROM cart WHERE id = ?', 2]]);
    const map = await api<{ nodes: { id: string; type: string; requests: number; faults: number }[] }>('GET', '/api/v1/service-map?since=1h');
    expect(map.body.nodes.map((n) => [n.id, n.type, n.requests, n.faults])).toEqual([['gateway', 'service', 2, 0], ['sqlite', 'database', 2, 2]]);
    expect(telemetry.status().counters.otlp.traces).toEqual({ requests: 2, accepted: 4, rejected: 0, errors: 0, denied: 0, throttled: 0 });
  });

  it('stores the same metric points from JSON and protobuf and queries them', async () => {
    await post('metrics', JSON.stringify(metricsPayload('json')), { 'content-type': JSON_TYPE });
    await post('metrics', toProtobuf('metrics', metricsPayload('proto')), { 'content-type': PROTO_TYPE });
    for (const name of ['json', 'proto']) {
      const max = await api<{ timestamps: number[]; values: number[] }>('GET', `/api/v1/metrics/query?name=${name}.inflight&dim.route=/cart&dim.service=gateway&stat=Maximum&period=1m&since=1h`);
      expect([max.status, max.body.timestamps, max.body.values]).toEqual([200, [T0], [3.5]]);
      const sum = await api<{ values: number[] }>('GET', `/api/v1/metrics/query?name=${name}.requests&stat=Sum&period=1s&since=1h`);
      expect(sum.body.values).toEqual([7, 5]);
    }
    const names = await api<{ metrics: { name: string; dimensionKeys: string[] }[] }>('GET', '/api/v1/metrics/names');
    expect(names.body.metrics.map((m) => [m.name, m.dimensionKeys])).toEqual([
      ['json.inflight', ['route', 'service']], ['json.requests', ['service']], ['proto.inflight', ['route', 'service']], ['proto.requests', ['service']],
    ]);
    const math = await api<{ results: { id: string; values: number[] }[] }>('POST', '/api/v1/metrics/query', {
      queries: [{ id: 'a', name: 'json.requests', stat: 'Sum' }, { id: 'b', name: 'proto.requests', stat: 'Sum' }],
      expressions: [{ id: 'ratio', expression: 'a / (a + b) * 100' }], periodMs: 60_000, since: '1h',
    });
    expect(math.body.results.map((r) => [r.id, r.values])).toEqual([['a', [12]], ['b', [12]], ['ratio', [50]]]);
  });

  it('stores the same log records from JSON and protobuf in their service log group', async () => {
    await post('logs', JSON.stringify(logsPayload('json')), { 'content-type': JSON_TYPE });
    await post('logs', toProtobuf('logs', logsPayload('proto')), { 'content-type': PROTO_TYPE });
    const q = await api<{ columns: string[]; rows: Record<string, unknown>[] }>('POST', '/api/v1/logs/query', {
      query: 'filter @log = "/slipway/production/gateway" | fields @message, @logStream, severity, route, trace_id | sort @message asc',
      since: '1h',
    });
    expect(q.body.rows).toEqual([
      { '@message': 'json failed', '@logStream': 'gateway-task-1', severity: 'ERROR', route: null, trace_id: 'abcdef0123456789abcdef0123456789' },
      { '@message': 'json started', '@logStream': 'gateway-task-1', severity: 'INFO', route: '/cart', trace_id: null },
      { '@message': 'proto failed', '@logStream': 'gateway-task-1', severity: 'ERROR', route: null, trace_id: 'abcdef0123456789abcdef0123456789' },
      { '@message': 'proto started', '@logStream': 'gateway-task-1', severity: 'INFO', route: '/cart', trace_id: null },
    ]);
    const groups = await api<{ groups: unknown[] }>('GET', '/api/v1/logs/groups');
    expect(groups.body.groups).toEqual([{ name: '/slipway/production/gateway', lastEventMs: T0 + 200, streams: [{ name: 'gateway-task-1', lastEventMs: T0 + 200 }], retentionMs: 7 * 86_400_000 }]);
  });

  it('answers partial success when some items are rejected', async () => {
    const payload = tracesPayload('cccccccccccccccccccccccccccccccc');
    const spans = payload.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    spans.push({ ...spans[0], spanId: 'not-hex' } as never);
    const res = await post('traces', JSON.stringify(payload), { 'content-type': JSON_TYPE });
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect([res.status, body.partialSuccess.rejectedSpans]).toEqual([200, '1']);
    expect(telemetry.status().counters.otlp.traces).toEqual({ requests: 1, accepted: 2, rejected: 1, errors: 0, denied: 0, throttled: 0 });
  });

  it.each([
    { what: 'a wrong content type', headers: { 'content-type': 'text/plain' }, body: () => 'hello', status: 415, code: 'SLW_ERR_OTLP_UNSUPPORTED_MEDIA' },
    { what: 'an unsupported encoding', headers: { 'content-type': JSON_TYPE, 'content-encoding': 'br' }, body: () => '{}', status: 415, code: 'SLW_ERR_OTLP_UNSUPPORTED_ENCODING' },
    { what: 'malformed JSON', headers: { 'content-type': JSON_TYPE }, body: () => '{"resourceSpans": [', status: 400, code: 'SLW_ERR_OTLP_MALFORMED' },
    { what: 'broken gzip', headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }, body: () => 'not gzip', status: 400, code: 'SLW_ERR_OTLP_MALFORMED' },
    { what: 'an oversized body', headers: { 'content-type': JSON_TYPE }, body: () => `{"x":"${'a'.repeat(70_000)}"}`, status: 413, code: 'SLW_ERR_OTLP_TOO_LARGE' },
    { what: 'a gzip bomb', headers: { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' }, body: () => gzipSync(Buffer.alloc(50 * 1024 * 1024)), status: 413, code: 'SLW_ERR_OTLP_TOO_LARGE' },
  ])('refuses $what with $status', async ({ headers, body, status, code }) => {
    // WHEN the request arrives THEN the status, a google.rpc.Status JSON body naming the code, and the error counted
    const res = await post('traces', body(), headers as Record<string, string>);
    const answer = (await res.json()) as { code: number; message: string };
    expect([res.status, answer.code === (status === 413 ? 8 : 3), answer.message.includes(code)]).toEqual([status, true, true]);
    expect(telemetry.status().counters.otlp.traces).toEqual({ requests: 1, accepted: 0, rejected: 0, errors: 1, denied: 0, throttled: 0 });
  });

  it('answers malformed protobuf with a protobuf google.rpc.Status', async () => {
    const res = await post('logs', Buffer.from([0x0a, 0xff, 0xff, 0xff]), { 'content-type': PROTO_TYPE });
    const bytes = Buffer.from(await res.arrayBuffer());
    // field 1 (code) = 3 INVALID_ARGUMENT, field 2 = the message
    expect([res.status, res.headers.get('content-type'), bytes[0], bytes[1], bytes[2]]).toEqual([400, PROTO_TYPE, 0x08, 3, 0x12]);
    expect(bytes.subarray(4).toString()).toContain('SLW_ERR_OTLP_MALFORMED');
  });

  it.each([
    { what: 'no key', key: () => undefined, signal: 'metrics', status: 401, grpc: 16, code: 'SLW_ERR_OTLP_UNAUTHENTICATED' },
    { what: 'an empty key', key: () => '', signal: 'traces', status: 401, grpc: 16, code: 'SLW_ERR_OTLP_UNAUTHENTICATED' },
    { what: 'a key of another app', key: () => 'f'.repeat(64), signal: 'logs', status: 401, grpc: 16, code: 'SLW_ERR_OTLP_UNAUTHENTICATED' },
    { what: 'the browser key on metrics', key: () => telemetry.ingestKeys().browserKey('production', 'gateway'), signal: 'metrics', status: 403, grpc: 7, code: 'SLW_ERR_OTLP_FORBIDDEN' },
  ])('refuses $what on /v1/$signal with $status before reading the body', async ({ key, signal, status, grpc, code }) => {
    // GIVEN a body that would not even decode: only the key is looked at
    const headers: Record<string, string> = { 'content-type': JSON_TYPE };
    const k = key();
    if (k !== undefined) headers['x-slipway-ingest-key'] = k;
    // WHEN it is posted THEN the status and an OTLP google.rpc.Status naming the code, and nothing else counted
    const res = await fetch(`${otlp}/v1/${signal}`, { method: 'POST', body: '{not json', headers });
    const answer = (await res.json()) as { code: number; message: string };
    expect([res.status, answer.code, answer.message.includes(code), res.headers.get('www-authenticate') !== null]).toEqual([status, grpc, true, status === 401]);
    expect(telemetry.status().counters.otlp[signal as OtlpSignal]).toEqual({ requests: 1, accepted: 0, rejected: 0, errors: 1, denied: 1, throttled: 0 });
  });

  it('takes a browser key for spans and logs of its own service only', async () => {
    // GIVEN the browser key of "gateway" in production (the payloads' resource)
    const browser = { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': telemetry.ingestKeys().browserKey('production', 'gateway') };
    const spans = await fetch(`${otlp}/v1/traces`, { method: 'POST', body: JSON.stringify(tracesPayload('dddddddddddddddddddddddddddddddd')), headers: browser });
    const logs = await fetch(`${otlp}/v1/logs`, { method: 'POST', body: JSON.stringify(logsPayload('rum')), headers: browser });
    expect([spans.status, logs.status]).toEqual([200, 200]);
    expect([telemetry.status().counters.otlp.traces.accepted, telemetry.status().counters.otlp.logs.accepted]).toEqual([2, 2]);
    // WHEN the browser key of another service name sends the same spans THEN all are rejected, not relabelled
    const other = { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': telemetry.ingestKeys().browserKey('production', 'shop-web') };
    const foreign = await fetch(`${otlp}/v1/traces`, { method: 'POST', body: JSON.stringify(tracesPayload('eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee')), headers: other });
    const body = (await foreign.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect([foreign.status, body.partialSuccess.rejectedSpans]).toEqual([200, '2']);
    expect(body.partialSuccess.errorMessage).toContain('but the key is for service "shop-web" in environment "production"');
  });

  it('keeps a service key to its own service: other services\' points are rejected as partial success', async () => {
    // GIVEN catalog's production key and a request with gateway's points (the payload's resource is gateway)
    const headers = { 'content-type': JSON_TYPE, 'x-slipway-ingest-key': telemetry.ingestKeys().serviceKey('production', 'catalog') };
    // WHEN it posts them THEN all four are rejected, and the sender is told why
    const res = await fetch(`${otlp}/v1/metrics`, { method: 'POST', body: JSON.stringify(metricsPayload('foreign')), headers });
    const body = (await res.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    expect([res.status, body.partialSuccess.rejectedDataPoints]).toEqual([200, '4']);
    expect(body.partialSuccess.errorMessage).toBe('rejected 4 of 4 data points: they name service.name "gateway", but the key is for service "catalog" in environment "production" (SLW_ERR_OTLP_SERVICE_MISMATCH)');
    // AND gateway's own key writes the same points
    const own = await fetch(`${otlp}/v1/metrics`, { method: 'POST', body: JSON.stringify(metricsPayload('own')), headers: { ...headers, 'x-slipway-ingest-key': telemetry.ingestKeys().serviceKey('production', 'gateway') } });
    expect([own.status, await own.text()]).toEqual([200, '{}']);
    const sum = await api<{ values: number[] }>('GET', '/api/v1/metrics/query?name=own.requests&stat=Sum&period=1s&since=1h');
    expect(sum.body.values).toEqual([7, 5]);
    expect(telemetry.status().counters.otlp.metrics).toEqual({ requests: 2, accepted: 4, rejected: 4, errors: 0, denied: 0, throttled: 0 });
  });

  it('answers 404 and 405 for other paths and methods', async () => {
    expect((await fetch(`${otlp}/v1/other`, { method: 'POST', body: '{}', headers: { 'content-type': JSON_TYPE } })).status).toBe(404);
    const get = await fetch(`${otlp}/v1/metrics`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('receives X-Ray segments over UDP and counts bad datagrams', async () => {
    const client = dgram.createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => client.send(Buffer.from(text), xrayPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    const S0 = T0 / 1000;
    const segment = { name: 'billing', id: '70de5b6f19ff9a0a', trace_id: '1-5759e988-bd862e3fe1be46a994272793', start_time: S0, end_time: S0 + 0.5, http: { response: { status: 502 } }, fault: true,
      subsegments: [{ name: 'postgres', id: '1a2b3c4d5e6f7081', start_time: S0 + 0.1, end_time: S0 + 0.3, namespace: 'remote', sql: { sanitized_query: 'SELECT 1', database_type: 'PostgreSQL' } }] };
    // WHEN two bad datagrams and one good one arrive
    const header = JSON.stringify({ format: 'json', version: 1, slipway_ingest_key: telemetry.ingestKeys().appKey });
    await send('no header at all');
    await send(`${header}\n{not json`);
    await send(`${header}\n${JSON.stringify(segment)}`);
    client.close();
    await vi.waitFor(() => expect(telemetry.status().counters.xray).toEqual({ datagrams: 3, accepted: 2, rejected: 2, denied: 0 }));
    // THEN the segment is a trace with its subsegment
    const view = await api<{ spans: { name: string; service: string; kind: string }[]; rootService: string }>('GET', '/api/v1/traces/5759e988bd862e3fe1be46a994272793');
    expect(view.body.spans.map((s) => [s.name, s.service, s.kind])).toEqual([['billing', 'billing', 'Server'], ['postgres', 'billing', 'Client']]);
  });

  it('drops X-Ray datagrams without a valid key, and a service key\'s segments of other services', async () => {
    const client = dgram.createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => client.send(Buffer.from(text), xrayPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    const S0 = T0 / 1000;
    const segment = (id: string) => JSON.stringify({ name: 'billing', id, trace_id: '1-5759e988-bd862e3fe1be46a994272794', start_time: S0, end_time: S0 + 0.1 });
    const header = (key?: string) => JSON.stringify({ format: 'json', version: 1, ...(key === undefined ? {} : { slipway_ingest_key: key }) });
    // GIVEN datagrams without a key, with a wrong key, with another service's key, and with billing's own key
    await send(`${header()}\n${segment('0000000000000001')}`);
    await send(`${header('f'.repeat(64))}\n${segment('0000000000000002')}`);
    await send(`${header(telemetry.ingestKeys().serviceKey('production', 'orders'))}\n${segment('0000000000000003')}`);
    await send(`${header(telemetry.ingestKeys().serviceKey('production', 'billing'))}\n${segment('0000000000000004')}`);
    client.close();
    // THEN only the last is stored; the others are counted as denied
    await vi.waitFor(() => expect(telemetry.status().counters.xray).toEqual({ datagrams: 4, accepted: 1, rejected: 3, denied: 3 }));
    const view = await api<{ spans: { spanId: string }[] }>('GET', '/api/v1/traces/5759e988bd862e3fe1be46a994272794');
    expect(view.body.spans.map((x) => x.spanId)).toEqual(['0000000000000004']);
  });

  it('writes its own counters as metrics', async () => {
    // GIVEN one refused request, counted from the start
    await post('traces', 'x', { 'content-type': 'text/plain' });
    telemetry.writeSelfMetrics();
    clock.advance(1000);
    // WHEN the counter is queried THEN its increase since the start is 1, for traces only
    const q = (signal: string) => api<{ values: number[] }>('GET', `/api/v1/metrics/query?name=slipway.otlp.errors&dim.signal=${signal}&stat=Sum&period=1h&since=1h`);
    expect((await q('traces')).body.values).toEqual([1]);
    expect((await q('logs')).body.values).toEqual([0]);
    const raw = await api<{ metrics: { name: string }[] }>('GET', '/api/v1/metrics/names');
    expect(raw.body.metrics.map((m) => m.name)).toContain('slipway.otlp.rejected');
  });

  it('stores task log lines, parsing JSON, and tails them', async () => {
    const base = { environment: 'staging', service: 'orders', revision: 'r1', taskId: 'orders-1', stream: 'stdout' as const };
    telemetry.ingestTaskLogLine({ ...base, line: '{"level":50,"msg":"db down","trace_id":"abc"}', timeMs: T0 + 1 });
    telemetry.ingestTaskLogLine({ ...base, line: 'plain text line', timeMs: T0 + 2 });
    const tail = await api<{ events: { message: string; severity: string; group: string }[]; nextAfter: number }>('GET', '/api/v1/logs/tail?service=orders');
    expect(tail.body.events.map((e) => [e.group, e.severity, e.message])).toEqual([
      ['/slipway/staging/orders', 'ERROR', '{"level":50,"msg":"db down","trace_id":"abc"}'],
      ['/slipway/staging/orders', '', 'plain text line'],
    ]);
    const after = await api<{ events: unknown[] }>('GET', `/api/v1/logs/tail?group=/slipway/staging/orders&after=${tail.body.nextAfter}`);
    expect(after.body.events).toEqual([]);
    const q = await api<{ rows: unknown[] }>('POST', '/api/v1/logs/query', { query: 'filter level = "ERROR" | fields msg, trace_id, revision', since: '1h' });
    expect(q.body.rows).toEqual([{ msg: 'db down', trace_id: 'abc', revision: 'r1' }]);
  });

  it('lists log groups with their retention, and with ?sizes=true what each stores', async () => {
    const base = { environment: 'staging', service: 'catalog', revision: 'r1', taskId: 'catalog-1', stream: 'stdout' as const };
    telemetry.ingestTaskLogLine({ ...base, line: 'one', timeMs: T0 + 1 });
    telemetry.ingestTaskLogLine({ ...base, line: 'three', timeMs: T0 + 2 });
    type Groups = { groups: { name: string; retentionMs: number; stored?: { records: number; bytes: number } }[] };
    const plain = await api<Groups>('GET', '/api/v1/logs/groups');
    const group = (g: Groups) => g.groups.find((x) => x.name === '/slipway/staging/catalog')!;
    expect(group(plain.body)).toMatchObject({ retentionMs: 7 * 86_400_000 });
    expect(group(plain.body).stored).toBeUndefined();
    const sized = await api<Groups>('GET', '/api/v1/logs/groups?sizes=true');
    expect(group(sized.body).stored!.records).toBe(2);
    expect(group(sized.body).stored!.bytes).toBeGreaterThan('onethree'.length);
    const bad = await api<{ error: { code: string; issues: { path: string }[] } }>('GET', '/api/v1/logs/groups?sizes=maybe');
    expect([bad.status, bad.body.error.code, bad.body.error.issues[0]!.path]).toEqual([400, 'SLW_ERR_API_VALIDATION', 'query.sizes']);
  });

  it('filters log lines by @traceId in storage, and shows @traceId and @spanId', async () => {
    // GIVEN lines of two traces and a line of none
    const base = { environment: 'production', service: 'orders', revision: 'r1', taskId: 'orders-1', stream: 'stdout' as const };
    const [a, b] = ['a'.repeat(32), 'b'.repeat(32)];
    telemetry.ingestTaskLogLine({ ...base, line: JSON.stringify({ level: 'error', msg: 'payment failed', trace_id: a, span_id: '1'.repeat(16) }), timeMs: T0 + 1 });
    telemetry.ingestTaskLogLine({ ...base, line: JSON.stringify({ level: 'info', msg: 'order confirmed', trace_id: b, span_id: '2'.repeat(16) }), timeMs: T0 + 2 });
    telemetry.ingestTaskLogLine({ ...base, line: 'no trace here', timeMs: T0 + 3 });
    // WHEN a query filters on one trace THEN only its line, with its ids
    const q = await api<{ rows: unknown[]; statistics: { recordsScanned: number } }>('POST', '/api/v1/logs/query', { query: `filter @traceId = "${a}" | fields msg, @traceId, @spanId`, since: '1h' });
    expect(q.body.rows).toEqual([{ msg: 'payment failed', '@traceId': a, '@spanId': '1'.repeat(16) }]);
    // AND storage read only that trace's line (the filter is pushed down to the trace index)
    expect(q.body.statistics.recordsScanned).toBe(1);
    // AND a line written outside any trace has none
    const none = await api<{ rows: unknown[] }>('POST', '/api/v1/logs/query', { query: 'filter not ispresent(@traceId) | fields @message', since: '1h' });
    expect(none.body.rows).toEqual([{ '@message': 'no trace here' }]);
  });

  it.each([
    { url: '/api/v1/metrics/query?name=x&stat=p200', status: 400, code: 'SLW_ERR_METRICS_QUERY_INVALID' },
    { url: '/api/v1/metrics/query?name=x&period=5 minutes', status: 400, code: 'SLW_ERR_API_VALIDATION' },
    { url: '/api/v1/traces/xyz', status: 400, code: 'SLW_ERR_API_VALIDATION' },
    { url: `/api/v1/traces/${'f'.repeat(32)}`, status: 404, code: 'SLW_ERR_TRACE_NOT_FOUND' },
    { url: '/api/v1/traces?limit=0', status: 400, code: 'SLW_ERR_API_VALIDATION' },
  ])('GET $url → $status $code', async ({ url, status, code }) => {
    const r = await api<{ error: { code: string } }>('GET', url);
    expect([r.status, r.body.error.code]).toEqual([status, code]);
  });

  it('gives a logs query syntax error with its position', async () => {
    const r = await api<{ error: { code: string; issues: { path: string; message: string }[] } }>('POST', '/api/v1/logs/query', { query: 'stats count(*) by', since: '1h' });
    expect([r.status, r.body.error.code, r.body.error.issues]).toEqual([400, 'SLW_ERR_LOGS_QUERY_SYNTAX', [{ path: 'query', message: "line 1, col 18: expected a field after 'by'" }]]);
  });
});

describe('the ingest key', () => {
  it('is created on start, mode 0600, in a data directory that does not exist yet, and kept across restarts', async () => {
    // GIVEN a data directory that does not exist
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-telemetry-key-'));
    const dataDir = path.join(parent, 'data');
    try {
      // WHEN telemetry starts twice over it
      const first = createTelemetry({ dataDir, otlpPort: null, xrayPort: null });
      await first.start();
      const key = first.ingestKeys().appKey;
      await first.shutdown();
      const second = createTelemetry({ dataDir, otlpPort: null, xrayPort: null });
      await second.start();
      // THEN the key is in <data>/ingest-key, readable by its owner only, and the same both times
      const file = path.join(dataDir, 'ingest-key');
      expect([fs.statSync(file).mode & 0o777, fs.readFileSync(file, 'utf8').trim(), second.ingestKeys().appKey]).toEqual([0o600, key, key]);
      expect(second.status().ingest).toEqual({ header: 'x-slipway-ingest-key', keyFile: file, browserKeys: {}, corsOrigins: [], allowUnauthenticated: false });
      await second.shutdown();
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
