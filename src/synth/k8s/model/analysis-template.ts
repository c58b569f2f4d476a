import type { ResolvedAlarm, ResolvedAnalysis } from '../../../shared/index.js';
import { InputError } from '../../../shared/index.js';
import { cloudWatchPeriod } from '../../aws/model/metric-source.js';
import { customMetricNamespace } from '../../aws/model/names.js';
import type { SynthWarnings } from '../../aws/model/synth-warnings.js';
import type { AnalysisProvider } from '../options.js';
import { goDuration } from './names.js';

type MetricAlarm = Extract<ResolvedAlarm, { kind: 'Metric' }>;

/** One metric of an AnalysisTemplate, in Argo Rollouts' field names. */
export interface AnalysisMetric {
  readonly name: string;
  readonly interval: string;
  readonly count?: number;
  readonly failureLimit: number;
  readonly successCondition: string;
  /** With both conditions, a measurement matching neither (too few requests) is Inconclusive: the rollout pauses. */
  readonly failureCondition?: string;
  readonly provider: Record<string, unknown>;
}

/** What a template needs to know about where it runs. */
export interface AnalysisContext {
  readonly app: string;
  readonly environment: string;
  readonly provider: AnalysisProvider;
  readonly prometheusAddress: string;
  /** Measurements before the run ends (blue/green post-promotion analysis); undefined: until the rollout ends. */
  readonly count: number | undefined;
  readonly warnings: SynthWarnings;
}

/** OTel's HTTP server histogram as the collector's Prometheus exporter names it (stable semantic conventions). */
const HTTP_DURATION = 'http_server_request_duration_seconds';
const STATUS_CLASS: Readonly<Record<string, string>> = {
  HTTPCode_Target_2XX_Count: '2..',
  HTTPCode_Target_3XX_Count: '3..',
  HTTPCode_Target_4XX_Count: '4..',
  HTTPCode_Target_5XX_Count: '5..',
};
const COMPARISON: Readonly<Record<MetricAlarm['comparison'], string>> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

function unmappable(path: string, reason: string): never {
  throw new InputError('SLW_ERR_SYNTH_UNMAPPABLE', `${path}: ${reason}`);
}

/**
 * The AnalysisTemplate metric of a `rollbackOn` alarm. Each measurement (every `period`) evaluates the
 * alarm's own M-of-N rule over its last N periods — a sliding window, exactly CloudWatch's
 * `datapointsToAlarm` of `evaluationPeriods` — so one breaching measurement is the alarm going to ALARM
 * and `failureLimit` is 0. (Counting breaches with `failureLimit: M-1` would count over the whole run,
 * not over a window, and stop after `count`.)
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` for an alarm the provider cannot evaluate.
 */
export function alarmAnalysisMetric(alarm: ResolvedAlarm, ctx: AnalysisContext): AnalysisMetric {
  const path = `alarms.${alarm.name}`;
  if (alarm.kind === 'Composite') unmappable(path, 'a composite alarm has no Argo Rollouts equivalent (an analysis fails when any metric fails); list its alarms in rollbackOn instead');
  if (alarm.kind === 'Anomaly') unmappable(path, 'anomaly detection bands have no Prometheus or Argo Rollouts equivalent; use a threshold alarm in rollbackOn');
  return ctx.provider === 'prometheus' ? prometheusMetric(alarm, ctx, path) : cloudWatchMetric(alarm, ctx, path);
}

function labelSelector(alarm: MetricAlarm, ctx: AnalysisContext, extra: string[] = []): string {
  const labels = [`deployment_environment="${ctx.environment}"`, ...(alarm.service === undefined ? [] : [`service_name="${alarm.service}"`]), ...extra];
  return `{${labels.join(',')}}`;
}

/** The PromQL of the alarm's statistic over one period. */
export function promqlOf(alarm: MetricAlarm, ctx: AnalysisContext, path: string): string {
  const p = goDuration(alarm.periodMs);
  const status = STATUS_CLASS[alarm.metric];
  const percentile = /^p(\d{1,2}(\.\d+)?)$/.exec(alarm.stat)?.[1];
  if (alarm.metric === 'RequestCount' || status !== undefined) {
    if (alarm.stat !== 'Sum' && alarm.stat !== 'SampleCount') unmappable(`${path}.stat`, `${alarm.metric} is a count: Sum or SampleCount, not ${alarm.stat}`);
    const sel = labelSelector(alarm, ctx, status === undefined ? [] : [`http_response_status_code=~"${status}"`]);
    return `sum(increase(${HTTP_DURATION}_count${sel}[${p}]))`;
  }
  if (alarm.metric === 'TargetResponseTime') {
    const sel = labelSelector(alarm, ctx);
    if (percentile !== undefined) return `histogram_quantile(${Number(percentile) / 100}, sum by (le) (rate(${HTTP_DURATION}_bucket${sel}[${p}])))`;
    if (alarm.stat === 'Average') return `sum(rate(${HTTP_DURATION}_sum${sel}[${p}])) / sum(rate(${HTTP_DURATION}_count${sel}[${p}]))`;
    unmappable(`${path}.stat`, `TargetResponseTime on Kubernetes comes from a histogram: a percentile (p50, p99, …) or Average, not ${alarm.stat}`);
  }
  // The application's own metrics, as the collector's Prometheus exporter names them.
  const name = alarm.metric.replace(/[^A-Za-z0-9_:]/g, '_');
  const sel = labelSelector(alarm, ctx);
  switch (alarm.stat) {
    case 'Sum':
      return `sum(sum_over_time(${name}${sel}[${p}]))`;
    case 'Average':
      return `avg(avg_over_time(${name}${sel}[${p}]))`;
    case 'Maximum':
      return `max(max_over_time(${name}${sel}[${p}]))`;
    case 'Minimum':
      return `min(min_over_time(${name}${sel}[${p}]))`;
    case 'SampleCount':
      return `sum(count_over_time(${name}${sel}[${p}]))`;
    default:
      if (percentile !== undefined) return `quantile_over_time(${Number(percentile) / 100}, ${name}${sel}[${p}])`;
      return unmappable(`${path}.stat`, `${alarm.stat} has no PromQL equivalent`);
  }
}

function prometheusMetric(alarm: MetricAlarm, ctx: AnalysisContext, path: string): AnalysisMetric {
  const p = goDuration(alarm.periodMs);
  const window = goDuration(alarm.periodMs * alarm.evaluationPeriods);
  const value = promqlOf(alarm, ctx, path);
  const breaching = `sum_over_time(((${value}) ${COMPARISON[alarm.comparison]} bool ${alarm.threshold})[${window}:${p}])`;
  // Missing datapoints: `breaching` counts each as a breach; the other treatments count them as not breaching.
  const query =
    alarm.treatMissingData === 'breaching'
      ? `(${breaching} or vector(0)) + (${alarm.evaluationPeriods} - (count_over_time((${value})[${window}:${p}]) or vector(0)))`
      : `${breaching} or vector(0)`;
  if (alarm.treatMissingData === 'missing' || alarm.treatMissingData === 'ignore') {
    ctx.warnings.add(`${path}.treatMissingData`, `"${alarm.treatMissingData}" counts missing datapoints as not breaching in the Argo Rollouts analysis`);
  }
  return {
    name: alarm.name,
    interval: p,
    ...(ctx.count === undefined ? {} : { count: ctx.count }),
    failureLimit: 0,
    successCondition: `result[0] < ${alarm.datapointsToAlarm}`,
    provider: { prometheus: { address: ctx.prometheusAddress, query } },
  };
}

function cloudWatchMetric(alarm: MetricAlarm, ctx: AnalysisContext, path: string): AnalysisMetric {
  const period = cloudWatchPeriod(alarm.periodMs);
  if (period.difference !== undefined) ctx.warnings.add(path, period.difference);
  const dimensions = [{ name: 'deployment.environment', value: ctx.environment }, ...(alarm.service === undefined ? [] : [{ name: 'service.name', value: alarm.service }])];
  let metricName = alarm.metric;
  let stat = alarm.stat;
  if (STATUS_CLASS[alarm.metric] !== undefined) {
    unmappable(path, `${alarm.metric} needs the response status of each request, which the collector's CloudWatch EMF metrics do not carry; use analysisProvider "prometheus"`);
  } else if (alarm.metric === 'RequestCount') {
    metricName = 'http.server.request.duration';
    stat = 'SampleCount';
  } else if (alarm.metric === 'TargetResponseTime') {
    metricName = 'http.server.request.duration';
  }
  const op = COMPARISON[alarm.comparison];
  const breachCount = `len(filter(result[0].Values, {# ${op} ${alarm.threshold}}))`;
  const missing = alarm.treatMissingData === 'breaching' ? ` + (${alarm.evaluationPeriods} - len(result[0].Values))` : '';
  return {
    name: alarm.name,
    interval: goDuration(period.seconds * 1000),
    ...(ctx.count === undefined ? {} : { count: ctx.count }),
    failureLimit: 0,
    successCondition: `${breachCount}${missing} < ${alarm.datapointsToAlarm}`,
    provider: {
      cloudWatch: {
        interval: goDuration(period.seconds * 1000 * alarm.evaluationPeriods),
        metricDataQueries: [
          {
            id: 'm',
            metricStat: { metric: { namespace: customMetricNamespace(ctx.app), metricName, dimensions }, period: period.seconds, stat },
          },
        ],
      },
    },
  };
}

/**
 * The canary's own thresholds (`strategy.analysis.maxErrorRatePercent`, `maxLatencyP99`) as background
 * analysis metrics on the service (Prometheus only). Fewer than `minRequestCount` requests in the
 * interval make a measurement Inconclusive (neither condition holds), which pauses the rollout, as locally.
 */
export function thresholdMetrics(service: string, analysis: ResolvedAnalysis, intervalMs: number, ctx: AnalysisContext, path: string): AnalysisMetric[] {
  if (analysis.maxErrorRatePercent === undefined && analysis.maxLatencyP99Ms === undefined) return [];
  if (ctx.provider !== 'prometheus') {
    ctx.warnings.add(path, 'maxErrorRatePercent and maxLatencyP99 are evaluated with Prometheus only; with CloudWatch add alarms to rollbackOn');
    return [];
  }
  const p = goDuration(intervalMs);
  const sel = `{deployment_environment="${ctx.environment}",service_name="${service}"}`;
  const requests = `sum(increase(${HTTP_DURATION}_count${sel}[${p}]))`;
  const metrics: AnalysisMetric[] = [];
  const guard = (q: string) => `(${requests} >= ${analysis.minRequestCount}) * 0 + (${q})`;
  if (analysis.maxErrorRatePercent !== undefined) {
    const errorSel = `{deployment_environment="${ctx.environment}",service_name="${service}",http_response_status_code=~"5.."}`;
    const errors = `sum(increase(${HTTP_DURATION}_count${errorSel}[${p}]))`;
    metrics.push({
      name: 'error-rate',
      interval: p,
      failureLimit: 0,
      successCondition: `len(result) > 0 && result[0] <= ${analysis.maxErrorRatePercent}`,
      failureCondition: `len(result) > 0 && result[0] > ${analysis.maxErrorRatePercent}`,
      provider: { prometheus: { address: ctx.prometheusAddress, query: guard(`100 * (${errors} or vector(0)) / ${requests}`) } },
    });
  }
  if (analysis.maxLatencyP99Ms !== undefined) {
    metrics.push({
      name: 'latency-p99',
      interval: p,
      failureLimit: 0,
      successCondition: `len(result) > 0 && result[0] <= ${analysis.maxLatencyP99Ms / 1000}`,
      failureCondition: `len(result) > 0 && result[0] > ${analysis.maxLatencyP99Ms / 1000}`,
      provider: { prometheus: { address: ctx.prometheusAddress, query: guard(`histogram_quantile(0.99, sum by (le) (rate(${HTTP_DURATION}_bucket${sel}[${p}])))`) } },
    });
  }
  return metrics;
}
