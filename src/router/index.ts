// The data-plane traffic router: its process, its in-process form for tests, and the client the control plane uses.
export { createRouter, type Router, type RouterOptions, type ApplyResult, type TableStatus, type ListenerStatus } from './router.js';
export { startAdminServer, type AdminServer, type AdminServerOptions } from './admin/admin-server.js';
export { RouterClient, type RouterClientOptions, type RouterHealth } from './client/router-client.js';
export { parseRoutingTable, serviceKey } from './table/parse-table.js';
export {
  routingTableSchema,
  type RoutingTable,
  type RoutingTableInput,
  type TargetInput,
  type TargetGroupInput,
  type ServiceRoute,
  type Listener,
  type ListenerKind,
} from './table/schema.js';
export type { SetWeightsRequest, EffectiveWeights } from './table/weights.js';
export type { RouterMetricsSnapshot, TargetGroupMetricsSnapshot, ListenerMetricsSnapshot } from './metrics/snapshot.js';
export type { MetricDimensions } from './metrics/target-group-metrics.js';
export type { WindowPercentiles } from './metrics/histogram.js';
export { readRouterInfo, stateFiles, type RouterInfo } from './state/state-files.js';
export { parseRouterArgs, runRouterProcess, type RouterProcessArgs } from './run-router-process.js';
export type { UpstreamPoolOptions } from './proxy/upstream-target.js';
export type { Random } from './select/pick-target-group.js';
export { ensureRouter, type EnsureRouterOptions, type RouterHandle } from './process/ensure-router.js';
export { routerMetricPoints, ROUTER_METRICS_SERVICE } from './publish/to-metric-points.js';
export { RouterMetricsPublisher, type RouterMetricsPublisherOptions } from './publish/metrics-publisher.js';
