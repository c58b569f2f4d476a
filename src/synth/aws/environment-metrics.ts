import { Duration, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { APP_RUNNER_METRICS, metricSource } from './model/metric-source.js';
import { customMetricNamespace } from './model/names.js';
import type { ResolvedMetricQuery } from '../../shared/index.js';
import { ENVIRONMENT_ATTRIBUTE } from './model/adot-config.js';

/** One CloudWatch metric a model metric reads: namespace, name, dimensions and statistic. */
export interface MetricPart {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
}

/** The CloudWatch form of a model metric: one or more parts, combined by `expression` when there are several. */
export interface MappedMetric {
  readonly parts: readonly MetricPart[];
  /** Metric math over `m0`, `m1`, ...; undefined when the single part is the metric. */
  readonly expression: string | undefined;
  readonly periodSeconds: number;
}

/** What an ECS service exposes to metrics. */
export interface EcsMetricTarget {
  readonly kind: 'ecs';
  /** `loadBalancerFullName` of the ALB the service is behind. */
  readonly loadBalancerFullName: string;
  /** `targetGroupFullName` of its target groups (two under CodeDeploy: blue and green). */
  readonly targetGroupFullNames: readonly string[];
  readonly clusterName: string;
  readonly serviceName: string;
}

/** What an App Runner service exposes to metrics. */
export interface AppRunnerMetricTarget {
  readonly kind: 'apprunner';
  readonly serviceName: string;
  readonly serviceId: string;
}

/** Everything of one environment that model metrics can point at. */
export interface EnvironmentMetricTargets {
  readonly app: string;
  readonly environment: string;
  readonly clusterName: string;
  /** `loadBalancerFullName` of every ALB of the environment. */
  readonly loadBalancerFullNames: readonly string[];
  readonly services: Readonly<Record<string, EcsMetricTarget | AppRunnerMetricTarget>>;
}

/** A model metric reference: name, optional service, statistic, period. */
export interface MetricRequest {
  readonly metric: string;
  readonly service: string | undefined;
  readonly stat: string;
  readonly periodSeconds: number;
}

/**
 * Maps a model metric onto CloudWatch in one environment, or returns why it cannot. ALB metric names
 * read `AWS/ApplicationELB` with `LoadBalancer`/`TargetGroup`; under CodeDeploy a service has two target
 * groups (blue and green swap at each deployment), so its metric combines both: `SUM` for counts, `MAX`
 * otherwise. `CPUUtilization`/`MemoryUtilization` read `AWS/ECS`, task counts Container Insights, App
 * Runner services `AWS/AppRunner`, and any other name the application's own EMF metrics.
 */
export function mapMetric(targets: EnvironmentMetricTargets, request: MetricRequest): MappedMetric | string {
  const source = metricSource(request.metric);
  const part = (namespace: string, dimensions: Record<string, string>, metricName = request.metric): MetricPart => ({ namespace, metricName, dimensions, stat: request.stat });
  const combine = (parts: MetricPart[]): MappedMetric => ({ parts, expression: parts.length > 1 ? `${aggregate(request.stat)}([${parts.map((_, i) => `m${i}`).join(', ')}])` : undefined, periodSeconds: request.periodSeconds });
  if (request.service === undefined) {
    switch (source) {
      case 'AlbTarget':
      case 'AlbLoadBalancer':
        if (targets.loadBalancerFullNames.length === 0) return 'the environment has no load balancer';
        return combine(targets.loadBalancerFullNames.map((lb) => part('AWS/ApplicationELB', { LoadBalancer: lb })));
      case 'Ecs':
      case 'ContainerInsights':
        return combine([part(source === 'Ecs' ? 'AWS/ECS' : 'ECS/ContainerInsights', { ClusterName: targets.clusterName })]);
      case 'Custom': {
        const parts = Object.keys(targets.services).map((s) => customPart(targets, s, request));
        if (parts.length > 10) return 'CloudWatch combines at most 10 metrics; give the alarm a service';
        return combine(parts);
      }
    }
  }
  const target = targets.services[request.service];
  if (target === undefined) return `no service ${request.service} in this environment`;
  if (target.kind === 'apprunner') {
    const mapped = APP_RUNNER_METRICS[request.metric];
    if (mapped === undefined) return `App Runner publishes no counterpart of ${request.metric}`;
    const p = part('AWS/AppRunner', { ServiceName: target.serviceName, ServiceID: target.serviceId }, mapped.name);
    return { parts: [p], expression: mapped.toAlbUnit === 1 ? undefined : `m0 * ${mapped.toAlbUnit}`, periodSeconds: request.periodSeconds };
  }
  switch (source) {
    case 'AlbTarget':
      return combine(target.targetGroupFullNames.map((tg) => part('AWS/ApplicationELB', { LoadBalancer: target.loadBalancerFullName, TargetGroup: tg })));
    case 'AlbLoadBalancer':
      return combine([part('AWS/ApplicationELB', { LoadBalancer: target.loadBalancerFullName })]);
    case 'Ecs':
      return combine([part('AWS/ECS', { ClusterName: target.clusterName, ServiceName: target.serviceName })]);
    case 'ContainerInsights':
      return combine([part('ECS/ContainerInsights', { ClusterName: target.clusterName, ServiceName: target.serviceName })]);
    case 'Custom':
      return combine([customPart(targets, request.service, request)]);
  }
}

function customPart(targets: EnvironmentMetricTargets, service: string, request: MetricRequest): MetricPart {
  return { namespace: customMetricNamespace(targets.app), metricName: request.metric, dimensions: { [ENVIRONMENT_ATTRIBUTE]: targets.environment, 'service.name': service }, stat: request.stat };
}

function aggregate(stat: string): 'SUM' | 'MIN' | 'MAX' {
  if (stat === 'Sum' || stat === 'SampleCount') return 'SUM';
  return stat === 'Minimum' ? 'MIN' : 'MAX';
}

/** The CDK metric of a mapped metric (a `Metric`, or a `MathExpression` over several). */
export function toCdkMetric(mapped: MappedMetric, label?: string): cloudwatch.IMetric {
  const period = Duration.seconds(mapped.periodSeconds);
  const metrics = mapped.parts.map((p) => new cloudwatch.Metric({ namespace: p.namespace, metricName: p.metricName, dimensionsMap: { ...p.dimensions }, statistic: p.stat, period, label }));
  if (mapped.expression === undefined) return metrics[0]!;
  return new cloudwatch.MathExpression({ expression: mapped.expression, usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])), period, label: label ?? mapped.parts[0]?.metricName });
}

/** The metric data queries of a mapped metric, for L1 alarms and anomaly detectors; the last query is the value. */
export function toMetricDataQueries(mapped: MappedMetric, returnData: boolean): { id: string; query: cloudwatch.CfnAlarm.MetricDataQueryProperty }[] {
  const queries: { id: string; query: cloudwatch.CfnAlarm.MetricDataQueryProperty }[] = mapped.parts.map((p, i) => ({
    id: `m${i}`,
    query: {
      id: `m${i}`,
      metricStat: {
        metric: { namespace: p.namespace, metricName: p.metricName, dimensions: Object.entries(p.dimensions).map(([name, value]) => ({ name, value })) },
        period: mapped.periodSeconds,
        stat: p.stat,
      },
      returnData: mapped.expression === undefined ? returnData : false,
    },
  }));
  if (mapped.expression !== undefined) queries.push({ id: 'e0', query: { id: 'e0', expression: mapped.expression, returnData, period: mapped.periodSeconds } });
  return queries;
}

/** A model metric query mapped onto CloudWatch: each id's metric (one part, or parts and their own expression), and the query's expression over the ids. */
export interface MappedMetricQuery {
  readonly metrics: Readonly<Record<string, MappedMetric>>;
  /** Metric math over the ids; undefined when the query is its one metric. */
  readonly expression: string | undefined;
  readonly periodSeconds: number;
}

/** One entry of a flattened metric query (CloudWatch's `Metrics` array): a metric or an expression. */
export interface MetricQueryEntry {
  readonly id: string;
  readonly returnData: boolean;
  readonly expression?: string;
  readonly metric?: MetricPart;
}

/**
 * Maps a compiled metric query (alarms' and scaling targets' `metrics` and `expression`) onto
 * CloudWatch in one environment, each metric as {@link mapMetric} maps it; dimensions other than
 * `service` and `environment` are kept for the application's own metrics and refused for AWS's.
 */
export function mapMetricQuery(targets: EnvironmentMetricTargets, query: ResolvedMetricQuery, periodSeconds: number): MappedMetricQuery | string {
  const metrics: Record<string, MappedMetric> = {};
  for (const [id, m] of Object.entries(query.metrics)) {
    const { service, environment: _environment, ...extra } = m.dimensions;
    const mapped = mapMetric(targets, { metric: m.metric, service, stat: m.stat, periodSeconds });
    if (typeof mapped === 'string') return `${id}: ${mapped}`;
    const custom = customMetricNamespace(targets.app);
    if (Object.keys(extra).length > 0 && mapped.parts.some((p) => p.namespace !== custom)) return `${id}: dimensions other than service apply to the application's own metrics, not to ${m.metric}`;
    metrics[id] = { ...mapped, parts: mapped.parts.map((p) => ({ ...p, dimensions: { ...p.dimensions, ...extra } })) };
  }
  return { metrics, expression: query.expression, periodSeconds };
}

// Inner ids of one metric's parts, so that two metrics' parts never share an id.
const partId = (id: string, i: number): string => `${id}_${i}`;
const renameParts = (id: string, expression: string): string => expression.replace(/\bm(\d+)\b/g, (_m, i: string) => partId(id, Number(i)));

/** The query as CloudWatch's `Metrics` array; the value is the one entry with `returnData`. */
export function flattenMetricQuery(mq: MappedMetricQuery): MetricQueryEntry[] {
  const out: MetricQueryEntry[] = [];
  const ids = Object.keys(mq.metrics);
  for (const id of ids) {
    const m = mq.metrics[id]!;
    const isValue = mq.expression === undefined;
    if (m.expression === undefined) {
      out.push({ id, returnData: isValue, metric: m.parts[0]! });
      continue;
    }
    m.parts.forEach((p, i) => out.push({ id: partId(id, i), returnData: false, metric: p }));
    out.push({ id, returnData: isValue, expression: renameParts(id, m.expression) });
  }
  if (mq.expression !== undefined) {
    let resultId = 'result';
    while (out.some((e) => e.id === resultId)) resultId = `${resultId}_`;
    out.push({ id: resultId, returnData: true, expression: mq.expression });
  }
  return out;
}

/** The query as a CDK metric: its metric, or a `MathExpression` over the ids (each a metric or an expression of its own). */
export function metricQueryToCdk(mq: MappedMetricQuery, label: string): cloudwatch.IMetric {
  const period = Duration.seconds(mq.periodSeconds);
  const cdk = (p: MetricPart): cloudwatch.Metric => new cloudwatch.Metric({ namespace: p.namespace, metricName: p.metricName, dimensionsMap: { ...p.dimensions }, statistic: p.stat, period });
  const byId: Record<string, cloudwatch.IMetric> = {};
  for (const [id, m] of Object.entries(mq.metrics)) {
    byId[id] =
      m.expression === undefined
        ? cdk(m.parts[0]!)
        : new cloudwatch.MathExpression({ expression: renameParts(id, m.expression), usingMetrics: Object.fromEntries(m.parts.map((p, i) => [partId(id, i), cdk(p)])), period });
  }
  if (mq.expression === undefined) return Object.values(byId)[0]!;
  return new cloudwatch.MathExpression({ expression: mq.expression, usingMetrics: byId, period, label });
}
