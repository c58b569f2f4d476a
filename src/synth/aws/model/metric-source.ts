/** Where a model metric name lives in CloudWatch. */
export type MetricSource =
  /** `AWS/ApplicationELB` with `LoadBalancer` and `TargetGroup` dimensions. */
  | 'AlbTarget'
  /** `AWS/ApplicationELB` with the `LoadBalancer` dimension only. */
  | 'AlbLoadBalancer'
  /** `AWS/ECS` with `ClusterName` and `ServiceName`. */
  | 'Ecs'
  /** `ECS/ContainerInsights` with `ClusterName` and `ServiceName`. */
  | 'ContainerInsights'
  /** The application's own metrics, published by the ADOT collector as CloudWatch EMF. */
  | 'Custom';

const ALB_TARGET = new Set([
  'RequestCount',
  'RequestCountPerTarget',
  'TargetResponseTime',
  'HTTPCode_Target_2XX_Count',
  'HTTPCode_Target_3XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_Target_5XX_Count',
  'HealthyHostCount',
  'UnHealthyHostCount',
  'TargetConnectionErrorCount',
]);
const ALB_LOAD_BALANCER = new Set([
  'HTTPCode_ELB_4XX_Count',
  'HTTPCode_ELB_5XX_Count',
  'HTTPCode_ELB_502_Count',
  'HTTPCode_ELB_503_Count',
  'HTTPCode_ELB_504_Count',
  'ActiveConnectionCount',
  'NewConnectionCount',
  'RejectedConnectionCount',
  'ProcessedBytes',
]);
const ECS = new Set(['CPUUtilization', 'MemoryUtilization']);
const CONTAINER_INSIGHTS = new Set(['RunningTaskCount', 'PendingTaskCount', 'DesiredTaskCount']);

/** Classifies a model metric name (the router publishes ALB names, so alarms map one-to-one). */
export function metricSource(metric: string): MetricSource {
  if (ALB_TARGET.has(metric)) return 'AlbTarget';
  if (ALB_LOAD_BALANCER.has(metric)) return 'AlbLoadBalancer';
  if (ECS.has(metric)) return 'Ecs';
  if (CONTAINER_INSIGHTS.has(metric)) return 'ContainerInsights';
  return 'Custom';
}

/**
 * App Runner's names for the ALB metrics it has (namespace `AWS/AppRunner`), and the factor that turns
 * the App Runner value into the ALB unit (RequestLatency is in ms, TargetResponseTime in seconds).
 */
export const APP_RUNNER_METRICS: Readonly<Record<string, { readonly name: string; readonly toAlbUnit: number }>> = {
  RequestCount: { name: 'Requests', toAlbUnit: 1 },
  HTTPCode_Target_2XX_Count: { name: '2xxStatusResponses', toAlbUnit: 1 },
  HTTPCode_Target_4XX_Count: { name: '4xxStatusResponses', toAlbUnit: 1 },
  HTTPCode_Target_5XX_Count: { name: '5xxStatusResponses', toAlbUnit: 1 },
  TargetResponseTime: { name: 'RequestLatency', toAlbUnit: 0.001 },
  CPUUtilization: { name: 'CPUUtilization', toAlbUnit: 1 },
  MemoryUtilization: { name: 'MemoryUtilization', toAlbUnit: 1 },
  RunningTaskCount: { name: 'ActiveInstances', toAlbUnit: 1 },
};

/** A CloudWatch period: what the model asked for and what CloudWatch can evaluate. */
export interface CloudWatchPeriod {
  readonly seconds: number;
  /** Set when the model's period had to change. */
  readonly difference: string | undefined;
}

/**
 * ALB, ECS, App Runner and EMF metrics have one-minute resolution, so a CloudWatch alarm or widget
 * needs a whole number of minutes; shorter or fractional periods round up.
 */
export function cloudWatchPeriod(periodMs: number): CloudWatchPeriod {
  const seconds = Math.max(60, Math.ceil(periodMs / 60_000) * 60);
  const difference = seconds * 1000 === periodMs ? undefined : `period ${formatSeconds(periodMs / 1000)} becomes ${formatSeconds(seconds)} (these CloudWatch metrics have 1-minute resolution)`;
  return { seconds, difference };
}

function formatSeconds(s: number): string {
  return s >= 60 && s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}
