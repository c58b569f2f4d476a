import type { MetricPoint } from '../../src/telemetry/index.js';

/** A gauge point of `service` (its resource's `service.name`), without attributes, at `timeMs`. */
export function gaugePoint(name: string, timeMs: number, value: number, service = 'gateway'): MetricPoint {
  return {
    name,
    unit: '{request}',
    description: '',
    kind: 'Gauge',
    monotonic: false,
    service,
    resource: { 'service.name': service },
    attributes: {},
    startTimeMs: timeMs,
    timeMs,
    value,
  };
}
