// JSON-lines logging to stdout, one object per line:
//   {"time":"…","level":"info","msg":"…","service":"orders","trace_id":"…","span_id":"…", …fields}
// The ids of the active span tie a line to its trace. Each line is also sent
// as an OpenTelemetry log record (a no-op when telemetry is disabled).
// LOG_LEVEL (debug | info | warn | error | silent, default info) sets the threshold.
import { trace, isSpanContextValid } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { serviceName } from './service-name.js';

const otelLogger = logs.getLogger('shop');
const SEVERITY = { debug: SeverityNumber.DEBUG, info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR };
const threshold = () => (process.env.LOG_LEVEL === 'silent' ? Infinity : (SEVERITY[process.env.LOG_LEVEL] ?? SEVERITY.info));

function write(level, msg, fields = {}) {
  if (SEVERITY[level] < threshold()) return;
  const spanContext = trace.getActiveSpan()?.spanContext();
  const ids = spanContext && isSpanContextValid(spanContext)
    ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
    : {};
  const line = { time: new Date().toISOString(), level, msg, service: serviceName, ...ids, ...fields };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  // The SDK takes trace_id/span_id for the record from the active context.
  otelLogger.emit({ severityNumber: SEVERITY[level], severityText: level.toUpperCase(), body: msg, attributes: fields });
}

/** The shop's logger: `log.info('order created', { order_id })`. */
export const log = {
  debug: (msg, fields) => write('debug', msg, fields),
  info: (msg, fields) => write('info', msg, fields),
  warn: (msg, fields) => write('warn', msg, fields),
  error: (msg, fields) => write('error', msg, fields),
};
