import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { tracing } from '@opentelemetry/sdk-node';
import { ManualClock } from '../../core/index.js';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '../index.js';
import { otlpServiceTypes, type OtlpSignal } from '../otlp/index.js';

// The decode pool's bound is the receiver's back-pressure: past it a request is answered
// 503 + Retry-After with a google.rpc.Status, nothing of it is stored, and it is counted.

const PROTO = 'application/x-protobuf';
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const ns = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: value } : { stringValue: value } });

function encode(signal: OtlpSignal, body: Record<string, unknown>): Buffer {
  const { request } = otlpServiceTypes(signal);
  return Buffer.from(request.encode(request.fromObject(body)).finish());
}

/** One request of `spans` spans in one trace (trace id `n`): a server root and its children. */
function tracesRequest(n: number, spans: number, nowMs: number): Buffer {
  const traceId = Buffer.from(hex(n, 32), 'hex');
  const id = (i: number) => Buffer.from(hex(n * 10_000 + i + 1, 16), 'hex');
  const list = Array.from({ length: spans }, (_, i) => ({
    traceId, spanId: id(i), ...(i === 0 ? {} : { parentSpanId: id(0) }), name: i === 0 ? 'GET /cart' : `SELECT ${i}`, kind: i === 0 ? 2 : 3,
    startTimeUnixNano: ns(nowMs - 1000 + i), endTimeUnixNano: ns(nowMs - 500 + i), status: {},
    attributes: i === 0 ? [kv('http.response.status_code', 200)] : [kv('db.system', 'sqlite'), kv('db.statement', `SELECT * FROM cart WHERE id = ${i}`)],
    events: i === 1 ? [{ name: 'exception', timeUnixNano: ns(nowMs - 900), attributes: [kv('exception.message', 'slow')] }] : [],
  }));
  return encode('traces', { resourceSpans: [{ resource: { attributes: [kv('service.name', 'gateway'), kv('deployment.environment.name', 'production')] }, scopeSpans: [{ scope: { name: 'http', version: '1' }, spans: list }] }] });
}

function logsRequest(records: number, nowMs: number, traceId?: string): Buffer {
  const logRecords = Array.from({ length: records }, (_, i) => ({
    timeUnixNano: ns(nowMs - 1000 + (i % 900)), severityText: i % 10 === 0 ? 'ERROR' : 'INFO', severityNumber: i % 10 === 0 ? 17 : 9,
    body: { stringValue: `request ${i} took ${i % 97}ms` }, attributes: [kv('http.route', '/cart')],
    ...(traceId !== undefined && i % 2 === 0 ? { traceId: Buffer.from(traceId, 'hex'), spanId: Buffer.from(hex(i + 1, 16), 'hex') } : {}),
  }));
  return encode('logs', { resourceLogs: [{ resource: { attributes: [kv('service.name', 'gateway'), kv('service.instance.id', 'gateway-1')] }, scopeLogs: [{ logRecords }] }] });
}

/** `google.rpc.Status { int32 code = 1; string message = 2; }` read back from protobuf. */
function readRpcStatus(body: Buffer): { code: number; message: string } {
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = body[offset++] ?? 0;
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  const out = { code: -1, message: '' };
  while (offset < body.length) {
    const tag = varint();
    if (tag === 0x08) out.code = varint();
    else if (tag === 0x12) {
      const length = varint();
      out.message = body.subarray(offset, offset + length).toString('utf8');
      offset += length;
    } else throw new Error(`unexpected tag ${tag}`);
  }
  return out;
}

const dirs: string[] = [];
const running: Telemetry[] = [];

async function start(options: Omit<TelemetryOptions, 'dataDir'>): Promise<{ telemetry: Telemetry; url: string; key: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-otlp-bp-'));
  dirs.push(dir);
  const telemetry = createTelemetry({ dataDir: dir, host: '127.0.0.1', otlpPort: 0, xrayPort: null, ...options });
  running.push(telemetry);
  const { otlpPort } = await telemetry.start();
  return { telemetry, url: `http://127.0.0.1:${otlpPort}`, key: telemetry.ingestKeys().appKey };
}

afterEach(async () => {
  for (const t of running.splice(0)) await t.shutdown();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const post = (url: string, key: string, body: Buffer) =>
  fetch(url, { method: 'POST', headers: { 'content-type': PROTO, 'x-slipway-ingest-key': key }, body });

describe('OTLP receiver back-pressure', () => {
  it('answers 503 + Retry-After past the decode queue bound, stores nothing of those requests, and counts them', async () => {
    // GIVEN a receiver with one decode worker and room for one request in its queue
    const nowMs = Date.now();
    const { telemetry, url, key } = await start({ decodeWorkers: 1, maxQueuedDecodes: 1, inlineDecodeBelowBytes: 0 });
    // WHEN 24 requests of 300 spans each (one trace each) arrive at once
    const N = 24;
    const SPANS = 300;
    const answers = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const res = await post(`${url}/v1/traces`, key, tracesRequest(i + 1, SPANS, nowMs));
        return { i, status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    await telemetry.forceFlush();
    const ok = answers.filter((a) => a.status === 200);
    const throttled = answers.filter((a) => a.status === 503);
    // THEN some are stored, the others refused as OTLP asks a server to throttle, and no other answer
    expect([ok.length > 0, throttled.length > 0, ok.length + throttled.length]).toEqual([true, true, N]);
    for (const a of throttled) {
      const status = readRpcStatus(a.body);
      expect([a.retryAfter, a.type, status.code, status.message.includes('SLW_ERR_OTLP_OVERLOADED')]).toEqual(['1', PROTO, 14, true]);
    }
    // AND every accepted trace is stored whole, every refused one not at all
    for (const a of ok) expect(telemetry.getTrace(hex(a.i + 1, 32)).spans).toHaveLength(SPANS);
    for (const a of throttled) expect(() => telemetry.getTrace(hex(a.i + 1, 32))).toThrow(expect.objectContaining({ code: 'SLW_ERR_TRACE_NOT_FOUND' }));
    // AND the counters say so, in the status and in slipway's own metrics
    const { counters, decode, queue } = telemetry.status();
    expect(counters.otlp.traces).toEqual({ requests: N, accepted: ok.length * SPANS, rejected: 0, errors: 0, denied: 0, throttled: throttled.length });
    expect(decode).toEqual({ workers: 1, queuedJobs: 0, queuedBytes: 0 });
    expect(queue?.itemsDropped).toBe(0);
    telemetry.writeSelfMetrics();
    const series = telemetry.queryMetric({ name: 'slipway.otlp.throttled', stat: 'Maximum', periodMs: 60_000, startMs: nowMs - 60_000, endMs: Date.now() + 60_000, dimensions: { signal: 'traces' } });
    expect(series.values.at(-1)).toBe(throttled.length);
  });

  it('lands the spans of a real OpenTelemetry SDK exporter that was throttled: it retries after Retry-After', async () => {
    // GIVEN a receiver whose only queue place is taken by a large logs request still decoding
    const nowMs = Date.now();
    const { telemetry, url, key } = await start({ decodeWorkers: 1, maxQueuedDecodes: 1, inlineDecodeBelowBytes: 0 });
    // (a first request has the worker load its code, so the blocker's decoding is all it does)
    expect((await post(`${url}/v1/logs`, key, logsRequest(10, nowMs))).status).toBe(200);
    const blocker = post(`${url}/v1/logs`, key, logsRequest(15_000, nowMs));
    await vi.waitFor(() => expect(telemetry.status().decode?.queuedJobs).toBe(1), { timeout: 10_000, interval: 2 });
    // WHEN the SDK's OTLP/protobuf exporter sends a span
    const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, headers: { 'x-slipway-ingest-key': key }, timeoutMillis: 30_000 });
    const provider = new tracing.BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer('bp-test').startSpan('POST /pay', { kind: SpanKind.SERVER });
    const traceId = span.spanContext().traceId;
    span.end();
    await provider.forceFlush();
    // THEN its first attempt was throttled, a retry was accepted and the span is stored
    expect((await blocker).status).toBe(200);
    await telemetry.forceFlush();
    const c = telemetry.status().counters.otlp;
    expect([c.traces.throttled >= 1, c.traces.accepted, c.logs.accepted]).toEqual([true, 1, 15_010]);
    expect(telemetry.getTrace(traceId).spans.map((s) => [s.name, s.service])).toEqual([['POST /pay', 'checkout']]);
    await provider.shutdown();
  }, 60_000);

  it('stores the same spans and log records whether a worker or the main thread decodes them', async () => {
    // GIVEN one receiver that decodes everything inline and one that sends everything to a worker
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const nowMs = clock.now();
    const inline = await start({ clock, decodeWorkers: 0 });
    const pooled = await start({ clock, decodeWorkers: 1, inlineDecodeBelowBytes: 0 });
    const traceId = hex(7, 32);
    // WHEN both receive the same traces and logs
    for (const r of [inline, pooled]) {
      expect((await post(`${r.url}/v1/traces`, r.key, tracesRequest(7, 40, nowMs))).status).toBe(200);
      expect((await post(`${r.url}/v1/logs`, r.key, logsRequest(300, nowMs, traceId))).status).toBe(200);
      await r.telemetry.forceFlush();
    }
    // THEN both stores read back the same
    const read = (t: Telemetry) => ({
      trace: t.getTrace(traceId),
      spans: t.findSpans({ startMs: nowMs - 60_000, endMs: nowMs + 60_000, limit: 1000 }),
      logs: t.findLogs({ startMs: nowMs - 60_000, endMs: nowMs + 60_000, limit: 1000 }),
    });
    const a = read(inline.telemetry);
    expect([a.spans.spans.length, a.logs.logs.length]).toEqual([40, 300]);
    expect(read(pooled.telemetry)).toEqual(a);
  });
});
