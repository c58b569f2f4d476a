// OpenTelemetry for every shop service. Import it before anything else:
//
//   import '../../lib/telemetry.js';      (first line of server.js)
//   node --import ../../lib/telemetry.js server.js   (equivalent)
//
// Traces, metrics and logs go to an OTLP/HTTP (protobuf) endpoint, by default
// http://127.0.0.1:4318 — where `slipway up` listens. Export runs in the
// background: an unreachable collector costs a failed POST now and then, never
// a failed or slower request. OTEL_SDK_DISABLED=true turns all of it off.
import { createRequire } from 'node:module';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { serviceName } from './service-name.js';

const env = process.env;

/** True when telemetry is switched off with OTEL_SDK_DISABLED=true. */
export const telemetryDisabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';

/**
 * Flushes buffered telemetry and stops the SDK. Waits at most `timeoutMs`, so
 * a collector that has gone away cannot hold up a graceful shutdown.
 * @param {number} [timeoutMs=2000]
 */
export async function shutdownTelemetry(timeoutMs = 2000) {
  if (!sdk) return;
  let timer;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([sdk.shutdown().catch(() => {}), deadline]);
  clearTimeout(timer);
}

function startSdk() {
  // Export failures are reported here instead of being thrown into the app.
  diag.setLogger(
    { error: warnOnce, warn: warnOnce, info() {}, debug() {}, verbose() {} },
    DiagLogLevel.WARN,
  );

  const endpoint = (env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318').replace(/\/+$/, '');
  const signalUrl = (signal) => env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`] || `${endpoint}/v1/${signal}`;

  const resource = defaultResource().merge(
    resourceFromAttributes({
      ...(env.SLIPWAY_REVISION && { [ATTR_SERVICE_VERSION]: env.SLIPWAY_REVISION }),
      // `deployment.environment` is what X-Ray and most backends read today;
      // `.name` is its newer semantic-conventions spelling.
      ...(env.SLIPWAY_ENV && {
        'deployment.environment': env.SLIPWAY_ENV,
        'deployment.environment.name': env.SLIPWAY_ENV,
      }),
    }),
  );

  const nodeSdk = new NodeSDK({
    serviceName,
    resource,
    // Spans are batched; OTEL_BSP_SCHEDULE_DELAY (ms) sets how often they are sent.
    traceExporter: new OTLPTraceExporter({ url: signalUrl('traces') }),
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: signalUrl('metrics') }),
        exportIntervalMillis: envMs('OTEL_METRIC_EXPORT_INTERVAL', 10_000),
        exportTimeoutMillis: Math.min(envMs('OTEL_METRIC_EXPORT_INTERVAL', 10_000), 5_000),
      }),
    ],
    logRecordProcessors: [
      new BatchLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: signalUrl('logs') }),
        scheduledDelayMillis: envMs('OTEL_BLRP_SCHEDULE_DELAY', 1_000),
      }),
    ],
    // Incoming requests become server spans; outgoing node:http requests become
    // client spans and carry the `traceparent` header to the next service.
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/healthz' })],
  });
  nodeSdk.start();

  // The instrumentation patches `node:http` when it is first require()d. ESM
  // code imports it instead, so require it once here; `import http from
  // 'node:http'` then sees the same, now instrumented, module object.
  createRequire(import.meta.url)('node:http');
  return nodeSdk;
}

function envMs(name, fallback) {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

// One line per distinct message: a collector that is down would otherwise
// repeat the same error on every export. Written straight to stdout, not
// through log.js, so that export errors are never themselves exported.
const warned = new Set();
function warnOnce(message, ...args) {
  const text = [message, ...args.map((a) => a?.message ?? String(a))].join(' ');
  const key = text.slice(0, 80);
  if (warned.has(key)) return;
  warned.add(key);
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: `telemetry: ${text}`, service: serviceName })}\n`,
  );
}

const sdk = telemetryDisabled ? undefined : startSdk();
