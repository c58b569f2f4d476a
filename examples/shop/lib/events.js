// Business events as spans: `recordEvent('checkout.completed', { 'order.value': 12.5 })` records a
// short child span of the request being served, so it shares the request's trace — and with it the
// flag variants evaluated in that request, which is how slipway's experiments attribute it.
// A no-op when telemetry is disabled.
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shop-events');

/**
 * Records one business event of the current request.
 * @param {string} name e.g. `checkout.started`, `checkout.completed`
 * @param {Record<string, string | number | boolean>} [attributes]
 */
export function recordEvent(name, attributes = {}) {
  tracer.startSpan(name, { attributes }).end();
}
