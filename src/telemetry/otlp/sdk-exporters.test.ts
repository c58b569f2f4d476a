import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { tracing } from '@opentelemetry/sdk-node';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ManualClock } from '../../core/index.js';
import { decodeOtlpLogs, decodeOtlpMetrics, decodeOtlpTraces } from './index.js';

// Payloads produced by the real OpenTelemetry JS SDK exporters (http/protobuf),
// captured by a loopback server and decoded by slipway.

interface Captured {
  readonly path: string;
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly body: Buffer;
}

const captured: Captured[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const encoding = req.headers['content-encoding'];
      captured.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        ...(encoding !== undefined ? { contentEncoding: encoding } : {}),
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function take(path: string): Captured[] {
  const found = captured.filter((c) => c.path === path);
  captured.splice(0, captured.length, ...captured.filter((c) => c.path !== path));
  return found;
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const resource = resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'staging' });
const HEX32 = expect.stringMatching(/^[0-9a-f]{32}$/);
const HEX16 = expect.stringMatching(/^[0-9a-f]{16}$/);
type TraceExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

describe('OTLP decode of real SDK exporter payloads', () => {
  it.each([
    { compression: 'none', expectedEncoding: undefined },
    { compression: 'gzip', expectedEncoding: 'gzip' },
  ])('traces from exporter-trace-otlp-proto (compression $compression) decode to the spans created', async ({ compression, expectedEncoding }) => {
    // GIVEN a tracer provider exporting http/protobuf to the capture server
    const exporter = new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, compression: compression as TraceExporterConfig['compression'] });
    const provider = new tracing.BasicTracerProvider({ resource, spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('checkout-tests', '1.2.3');
    // WHEN a server span with a failing client child span is recorded and flushed
    const root = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, startTime: T0, attributes: { 'http.method': 'GET', 'http.status_code': 500 } });
    const child = tracer.startSpan('SELECT cart', { kind: SpanKind.CLIENT, startTime: T0 + 10, attributes: { 'db.system': 'sqlite', retries: [1, 2] } }, trace.setSpan(context.active(), root));
    child.addEvent('exception', { 'exception.message': 'locked' }, T0 + 20);
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'database is locked' });
    child.end(T0 + 30.5);
    root.setStatus({ code: SpanStatusCode.OK });
    root.end(T0 + 40);
    await provider.forceFlush();
    await provider.shutdown();
    const bodies = take('/v1/traces');
    const decoded = bodies.map((b) => decodeOtlpTraces(b.body, b.contentType, b.contentEncoding, { clock: new ManualClock(T0) }));
    // THEN every span arrives, intact, with nothing rejected
    expect(bodies.map((b) => [b.contentType, b.contentEncoding])).toEqual(bodies.map(() => ['application/x-protobuf', expectedEncoding]));
    expect(decoded.map((d) => d.rejected)).toEqual(decoded.map(() => 0));
    const spans = decoded.flatMap((d) => d.spans);
    const scope = { name: 'checkout-tests', version: '1.2.3' };
    const serviceResource = expect.objectContaining({ 'service.name': 'checkout', 'deployment.environment': 'staging' });
    expect(spans).toEqual([
      {
        traceId: HEX32, spanId: HEX16, parentSpanId: HEX16, name: 'SELECT cart', kind: 'Client',
        startTimeMs: T0 + 10, endTimeMs: T0 + 30.5, durationMs: 20.5, statusCode: 'Error', statusMessage: 'database is locked',
        service: 'checkout', resource: serviceResource, scope,
        attributes: { 'db.system': 'sqlite', retries: [1, 2] },
        events: [{ name: 'exception', timeMs: T0 + 20, attributes: { 'exception.message': 'locked' } }],
      },
      {
        traceId: HEX32, spanId: HEX16, name: 'GET /cart', kind: 'Server',
        startTimeMs: T0, endTimeMs: T0 + 40, durationMs: 40, statusCode: 'Ok',
        service: 'checkout', resource: serviceResource, scope,
        attributes: { 'http.method': 'GET', 'http.status_code': 500 },
        events: [],
      },
    ]);
    expect(spans[0]?.traceId).toBe(spans[1]?.traceId);
    expect(spans[0]?.parentSpanId).toBe(spans[1]?.spanId);
  });

  it('metrics from exporter-metrics-otlp-proto decode to a monotonic sum and a histogram', async () => {
    // GIVEN a meter provider exporting http/protobuf (cumulative temporality, the default)
    const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${baseUrl}/v1/metrics` }), exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('checkout-metrics');
    // WHEN a counter and a histogram record values and the provider flushes
    meter.createCounter('orders', { unit: '{order}', description: 'Orders placed' }).add(3, { region: 'eu' });
    const latency = meter.createHistogram('latency', { unit: 'ms' });
    latency.record(12, { route: '/cart' });
    latency.record(250, { route: '/cart' });
    // shutdown() exports once more; exporting only there keeps one point per series.
    await provider.shutdown();
    const bodies = take('/v1/metrics');
    const decoded = bodies.map((b) => decodeOtlpMetrics(b.body, b.contentType, b.contentEncoding));
    // THEN both instruments arrive as points with their dimensions and values
    expect(decoded.map((d) => d.rejected)).toEqual(decoded.map(() => 0));
    const points = decoded.flatMap((d) => d.points);
    const common = { service: 'checkout', resource: expect.objectContaining({ 'service.name': 'checkout' }), scope: { name: 'checkout-metrics' }, startTimeMs: expect.any(Number), timeMs: expect.any(Number) };
    const bucketCounts = new Array<number>(16).fill(0);
    bucketCounts[3] = 1; // 12 is in (10, 25]
    bucketCounts[7] = 1; // 250 is in (100, 250]
    expect(points).toEqual([
      { ...common, name: 'orders', unit: '{order}', description: 'Orders placed', kind: 'Sum', temporality: 'Cumulative', monotonic: true, attributes: { region: 'eu' }, value: 3 },
      {
        ...common, name: 'latency', unit: 'ms', description: '', kind: 'Histogram', temporality: 'Cumulative', attributes: { route: '/cart' },
        histogram: { count: 2, sum: 262, min: 12, max: 250, bucketCounts, explicitBounds: [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000] },
      },
    ]);
  });

  it('logs from exporter-logs-otlp-proto decode to records with string and structured bodies', async () => {
    // GIVEN a logger provider exporting http/protobuf
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${baseUrl}/v1/logs` }) })] });
    const logger = provider.getLogger('checkout-logs', '0.1.0');
    // WHEN a string-bodied and a map-bodied record are emitted
    logger.emit({ timestamp: T0, observedTimestamp: T0 + 1, severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'disk almost full', attributes: { 'disk.free_percent': 4.5 } });
    logger.emit({ timestamp: T0 + 2, severityNumber: SeverityNumber.INFO, body: { order: 42, items: ['a', 'b'] } });
    await provider.forceFlush();
    await provider.shutdown();
    const bodies = take('/v1/logs');
    const records = bodies.flatMap((b) => decodeOtlpLogs(b.body, b.contentType, b.contentEncoding, { clock: new ManualClock(T0) }).records);
    // THEN both records arrive; the structured body is JSON text
    const common = { service: 'checkout', resource: expect.objectContaining({ 'service.name': 'checkout' }), scope: { name: 'checkout-logs', version: '0.1.0' } };
    expect(records).toEqual([
      { ...common, timeMs: T0, observedTimeMs: T0 + 1, severityNumber: 13, severityText: 'WARN', body: 'disk almost full', attributes: { 'disk.free_percent': 4.5 } },
      { ...common, timeMs: T0 + 2, observedTimeMs: expect.any(Number), severityNumber: 9, severityText: '', body: '{"order":42,"items":["a","b"]}', attributes: {} },
    ]);
  });
});
