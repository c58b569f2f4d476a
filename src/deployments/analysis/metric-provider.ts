import type { RouterMetricsSnapshot } from '../../router/index.js';

/**
 * Where canary analysis reads its request counts, errors and latencies:
 * cumulative counters per target group with ALB-named fields. The router's
 * client is the local one (`GET /admin/metrics`).
 */
export interface MetricProvider {
  /** A snapshot of the counters now; percentiles over the last `windowMs` when given. */
  metrics(windowMs?: number): Promise<RouterMetricsSnapshot>;
}
