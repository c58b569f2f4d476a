import { aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, type aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedAlarm, ResolvedApp } from '../../shared/index.js';
import { compositeAlarmRule } from './composite-rule.js';
import { mapMetric, mapMetricQuery, metricQueryToCdk, toCdkMetric, toMetricDataQueries, type EnvironmentMetricTargets, type MappedMetric } from './environment-metrics.js';
import { cloudWatchPeriod } from './model/metric-source.js';
import { alarmName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayEnvironmentAlarms}. */
export interface SlipwayEnvironmentAlarmsProps {
  /** The resolved app model. */
  readonly app: ResolvedApp;
  /** The environment the alarms watch. */
  readonly environment: string;
  /** The environment's load balancers and services. */
  readonly targets: EnvironmentMetricTargets;
  /** SNS topics by model topic name (alarm, OK and insufficient-data actions). */
  readonly topics: Readonly<Record<string, sns.ITopic>>;
  /** Where differences are reported. */
  readonly warnings: SynthWarnings;
}

/**
 * The model's alarms in one environment: an alarm without `environment` becomes one CloudWatch alarm per
 * environment (watching that environment), one with `environment` exists only there. Metric alarms keep
 * statistic, evaluation periods, datapoints to alarm, missing-data treatment and comparison; anomaly alarms
 * get an `AWS::CloudWatch::AnomalyDetector` and an `ANOMALY_DETECTION_BAND` of the model's width;
 * composite alarms keep their rule with names turned into ARNs.
 */
/** CloudWatch's `AlarmDescription`: the model's description and, when it has one, its runbook (a URL, or a path in the repository), within CloudWatch's 1024 characters. */
export function alarmDescription(alarm: Pick<ResolvedAlarm, 'description' | 'runbook'>): string | undefined {
  const parts = [alarm.description, alarm.runbook === undefined ? undefined : `Runbook: ${alarm.runbook}`].filter((p): p is string => p !== undefined && p !== '');
  if (parts.length === 0) return undefined;
  const text = parts.join('\n');
  return text.length <= 1024 ? text : `${text.slice(0, 1023)}…`;
}

export class SlipwayEnvironmentAlarms extends Construct {
  /** CloudWatch alarms by model alarm name (those that exist in this environment). */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  private readonly appName: string;
  private readonly environmentName: string;
  private readonly anomalyResources = new Map<cloudwatch.IAlarm, cloudwatch.CfnAlarm>();

  constructor(scope: Construct, id: string, props: SlipwayEnvironmentAlarmsProps) {
    super(scope, id);
    const { app, environment, warnings } = props;
    this.appName = app.name;
    this.environmentName = environment;
    const alarms: Record<string, cloudwatch.IAlarm> = {};
    const composites: Extract<ResolvedAlarm, { kind: 'Composite' }>[] = [];
    for (const alarm of Object.values(app.alarms)) {
      if (alarm.kind === 'Composite') {
        composites.push(alarm);
        continue;
      }
      if (alarm.environment !== undefined && alarm.environment !== environment) continue;
      const path = `alarms.${alarm.name}`;
      const period = cloudWatchPeriod(alarm.periodMs);
      if (period.difference !== undefined) warnings.add(path, period.difference);
      if (alarm.kind === 'Metric' && alarm.math !== undefined) {
        // Each metric of the expression in this environment: the alarm's environment dimension is the stack's.
        const inEnv = { ...alarm.math, metrics: Object.fromEntries(Object.entries(alarm.math.metrics).map(([id, m]) => [id, { ...m, dimensions: { ...m.dimensions, environment } }])) };
        const mappedMath = mapMetricQuery(props.targets, inEnv, period.seconds);
        if (typeof mappedMath === 'string') {
          warnings.add(`${path} (${environment})`, `not created: ${mappedMath}`);
          continue;
        }
        const created = this.metricAlarm(alarm, metricQueryToCdk(mappedMath, alarm.metric));
        this.addActions(created, alarm.notify, props.topics);
        alarms[alarm.name] = created;
        continue;
      }
      const mapped = mapMetric(props.targets, { metric: alarm.metric, service: alarm.service, stat: alarm.stat, periodSeconds: period.seconds });
      if (typeof mapped === 'string') {
        warnings.add(`${path} (${environment})`, `not created: ${mapped}`);
        continue;
      }
      const created = alarm.kind === 'Metric' ? this.metricAlarm(alarm, toCdkMetric(mapped)) : this.anomalyAlarm(alarm, mapped);
      this.addActions(created, alarm.notify, props.topics);
      alarms[alarm.name] = created;
    }
    // Composite rules may name other composites: create each once everything it names exists.
    let pending = composites;
    while (pending.length > 0) {
      const ready = pending.filter((c) => c.references.every((r) => alarms[r] !== undefined));
      if (ready.length === 0) break;
      for (const c of ready) {
        const composite = new cloudwatch.CompositeAlarm(this, pascalCase(c.name), {
          compositeAlarmName: alarmName(app.name, environment, c.name),
          alarmDescription: alarmDescription(c),
          alarmRule: compositeAlarmRule(c.ruleTree, (name) => alarms[name]!),
        });
        this.addActions(composite, c.notify, props.topics);
        alarms[c.name] = composite;
      }
      pending = pending.filter((c) => !ready.includes(c));
    }
    for (const c of pending) {
      const missing = c.references.filter((r) => alarms[r] === undefined && !pending.some((p) => p.name === r));
      warnings.add(`alarms.${c.name} (${environment})`, `not created: its rule names alarms that do not exist in this environment (${missing.join(', ') || 'composites left out'})`);
    }
    this.alarms = alarms;
  }

  private metricAlarm(alarm: Extract<ResolvedAlarm, { kind: 'Metric' }>, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, pascalCase(alarm.name), {
      alarmName: alarmName(this.appName, this.environmentName, alarm.name),
      alarmDescription: alarmDescription(alarm),
      metric,
      threshold: alarm.threshold,
      evaluationPeriods: alarm.evaluationPeriods,
      datapointsToAlarm: alarm.datapointsToAlarm,
      treatMissingData: alarm.treatMissingData as cloudwatch.TreatMissingData,
      comparisonOperator: alarm.comparison as cloudwatch.ComparisonOperator,
    });
  }

  private anomalyAlarm(alarm: Extract<ResolvedAlarm, { kind: 'Anomaly' }>, mapped: MappedMetric): cloudwatch.IAlarm {
    const id = pascalCase(alarm.name);
    const queries = toMetricDataQueries(mapped, true);
    const valueId = queries[queries.length - 1]!.id;
    const single = mapped.expression === undefined ? mapped.parts[0] : undefined;
    new cloudwatch.CfnAnomalyDetector(this, `${id}Detector`, {
      ...(single !== undefined
        ? {
            singleMetricAnomalyDetector: {
              namespace: single.namespace,
              metricName: single.metricName,
              dimensions: Object.entries(single.dimensions).map(([name, value]) => ({ name, value })),
              stat: single.stat,
            },
          }
        : { metricMathAnomalyDetector: { metricDataQueries: toMetricDataQueries(mapped, true).map((q) => stripPeriod(q.query)) } }),
    });
    const cfn = new cloudwatch.CfnAlarm(this, id, {
      alarmName: alarmName(this.appName, this.environmentName, alarm.name),
      alarmDescription: alarmDescription(alarm),
      comparisonOperator: alarm.comparison,
      evaluationPeriods: alarm.evaluationPeriods,
      datapointsToAlarm: alarm.datapointsToAlarm,
      treatMissingData: alarm.treatMissingData,
      thresholdMetricId: 'band',
      metrics: [...queries.map((q) => q.query), { id: 'band', expression: `ANOMALY_DETECTION_BAND(${valueId}, ${alarm.band})`, label: `${alarm.metric} (expected)`, returnData: true }],
    });
    const imported = cloudwatch.Alarm.fromAlarmArn(this, `${id}Ref`, cfn.attrArn);
    this.anomalyResources.set(imported, cfn);
    return imported;
  }

  private addActions(alarm: cloudwatch.IAlarm, notify: readonly string[], topics: Readonly<Record<string, sns.ITopic>>): void {
    const targets = notify.map((t) => topics[t]).filter((t): t is sns.ITopic => t !== undefined);
    if (targets.length === 0) return;
    const cfn = this.anomalyResources.get(alarm);
    if (cfn !== undefined) {
      const arns = targets.map((t) => t.topicArn);
      cfn.alarmActions = arns;
      cfn.okActions = arns;
      cfn.insufficientDataActions = arns;
      return;
    }
    const withActions = alarm as cloudwatch.Alarm | cloudwatch.CompositeAlarm;
    for (const topic of targets) {
      const action = new actions.SnsAction(topic);
      withActions.addAlarmAction(action);
      withActions.addOkAction(action);
      withActions.addInsufficientDataAction(action);
    }
  }
}

/** Anomaly detector queries carry their period inside the metric stat only. */
function stripPeriod(query: cloudwatch.CfnAlarm.MetricDataQueryProperty): cloudwatch.CfnAnomalyDetector.MetricDataQueryProperty {
  const { period: _period, ...rest } = query;
  return rest as cloudwatch.CfnAnomalyDetector.MetricDataQueryProperty;
}
