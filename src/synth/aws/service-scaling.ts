import { Duration, TimeZone, aws_applicationautoscaling as appscaling, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cwActions } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedAlarm, ResolvedScaling } from '../../shared/index.js';
import { flattenMetricQuery, mapMetricQuery, type EnvironmentMetricTargets } from './environment-metrics.js';
import { pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import type { SlipwayService } from './slipway-service.js';

const ADJUSTMENT_TYPES = { ChangeInCapacity: 'CHANGE_IN_CAPACITY', PercentChangeInCapacity: 'PERCENT_CHANGE_IN_CAPACITY', ExactCapacity: 'EXACT_CAPACITY' } as const;

/** Options of {@link SlipwayServiceScaling}. */
export interface SlipwayServiceScalingProps {
  readonly scaling: ResolvedScaling;
  readonly service: SlipwayService;
  readonly clusterName: string;
  readonly serviceName: string;
  /** The model name of the service (what alarm actions and metric queries name). */
  readonly name: string;
  /** The environment synthesized. */
  readonly environment: string;
  /** The app's alarms (those with `scale` actions on this service become step scaling policies). */
  readonly alarmDefinitions: Readonly<Record<string, ResolvedAlarm>>;
  /** The CloudWatch alarms of this environment, by model name. */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  /** What custom target metrics map onto. */
  readonly targets: EnvironmentMetricTargets;
  readonly warnings: SynthWarnings;
}

/**
 * Application Auto Scaling of an ECS service: task count between the model's min and max, target
 * tracking on average CPU and on ALB requests per task. Under CodeDeploy the service's traffic moves
 * between two target groups, so requests per task are computed from both (metric math) instead of
 * `ALBRequestCountPerTarget`, which follows one target group only. Custom targets become target
 * tracking with a `CustomizedMetricSpecification` (its `Metrics` array for math), schedules
 * `ScheduledAction`s with their time zone, and alarms' `scale` actions `StepScaling` policies that
 * their CloudWatch alarm invokes.
 */
export class SlipwayServiceScaling extends Construct {
  readonly target: appscaling.ScalableTarget;
  private readonly props: SlipwayServiceScalingProps;

  constructor(scope: Construct, id: string, props: SlipwayServiceScalingProps) {
    super(scope, id);
    this.props = props;
    const { scaling, service } = props;
    this.target = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: scaling.min,
      maxCapacity: scaling.max,
    });
    this.target.node.addDependency(service.service);
    const cooldowns = { scaleInCooldown: Duration.millis(scaling.scaleInCooldownMs), scaleOutCooldown: Duration.millis(scaling.scaleOutCooldownMs) };
    if (scaling.targetCpuPercent !== undefined) {
      this.target.scaleToTrackMetric('Cpu', { targetValue: scaling.targetCpuPercent, predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION, ...cooldowns });
    }
    this.customTargets(props);
    this.schedules(props);
    this.stepPolicies(props);
    if (scaling.targetRequestsPerTask === undefined) return;
    const lb = service.loadBalancer.loadBalancerFullName;
    const [blue, green] = service.targetGroups;
    if (blue === undefined) return;
    if (green === undefined) {
      this.target.scaleToTrackMetric('Requests', {
        targetValue: scaling.targetRequestsPerTask,
        predefinedMetric: appscaling.PredefinedMetric.ALB_REQUEST_COUNT_PER_TARGET,
        resourceLabel: `${lb}/${blue.targetGroupFullName}`,
        ...cooldowns,
      });
      return;
    }
    const requests = (metricId: string, tg: string) => ({
      id: metricId,
      returnData: false,
      metricStat: { metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: [{ name: 'LoadBalancer', value: lb }, { name: 'TargetGroup', value: tg }] }, stat: 'Sum' },
    });
    this.trackingPolicy('Requests', `${props.serviceName}-requests-per-task`, scaling.targetRequestsPerTask, [
      requests('blue', blue.targetGroupFullName),
      requests('green', green.targetGroupFullName),
      {
        id: 'tasks',
        returnData: false,
        metricStat: { metric: { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: [{ name: 'ClusterName', value: props.clusterName }, { name: 'ServiceName', value: props.serviceName }] }, stat: 'Average' },
      },
      { id: 'perTask', expression: '(FILL(blue, 0) + FILL(green, 0)) / tasks', label: 'requests per task', returnData: true },
    ]);
  }
  /** A target-tracking policy on a `CustomizedMetricSpecification` (a `Metrics` array), with the service's cooldowns. */
  private trackingPolicy(id: string, policyName: string, targetValue: number, metrics: appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty[]): void {
    const { scaling } = this.props;
    new appscaling.CfnScalingPolicy(this, id, {
      policyName,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue,
        scaleInCooldown: Math.round(scaling.scaleInCooldownMs / 1000),
        scaleOutCooldown: Math.round(scaling.scaleOutCooldownMs / 1000),
        customizedMetricSpecification: { metrics },
      },
    });
  }

  private customTargets(props: SlipwayServiceScalingProps): void {
    const { scaling } = props;
    scaling.targets.forEach((t, i) => {
      const path = `services.${props.name}.scaling.targets[${i}]`;
      const mapped = mapMetricQuery(props.targets, t.query, Math.max(60, Math.round(t.periodMs / 1000)));
      if (typeof mapped === 'string') {
        props.warnings.add(path, `not synthesized: ${mapped}`);
        return;
      }
      if (t.periodMs < 60_000) props.warnings.add(path, 'target tracking on AWS reads 1-minute data points; the local period is shorter');
      this.trackingPolicy(
        `Target${i}`,
        `${props.serviceName}-target-${i}`,
        t.target,
        flattenMetricQuery(mapped).map((q) => ({
          id: q.id,
          returnData: q.returnData,
          ...(q.expression !== undefined ? { expression: q.expression } : {}),
          ...(q.metric !== undefined ? { metricStat: { metric: { namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: Object.entries(q.metric.dimensions).map(([name, value]) => ({ name, value })) }, stat: q.metric.stat } } : {}),
          ...(q.returnData ? { label: t.label } : {}),
        })),
      );
    });
  }

  private schedules(props: SlipwayServiceScalingProps): void {
    for (const s of props.scaling.schedules) {
      this.target.scaleOnSchedule(pascalCase(s.name), {
        schedule: appscaling.Schedule.expression(s.schedule),
        timeZone: TimeZone.of(s.timezone),
        ...(s.minTasks !== undefined ? { minCapacity: s.minTasks } : {}),
        ...(s.maxTasks !== undefined ? { maxCapacity: s.maxTasks } : {}),
      });
    }
  }

  private stepPolicies(props: SlipwayServiceScalingProps): void {
    for (const alarmName of props.scaling.scaledByAlarms) {
      const def = props.alarmDefinitions[alarmName];
      if (def?.kind !== 'Metric') continue;
      (def.actions ?? []).forEach((action, i) => {
        if (action.service !== props.name || (action.environment !== undefined && action.environment !== props.environment)) return;
        if (def.environment !== undefined && def.environment !== props.environment) return;
        const alarm = props.alarms[alarmName];
        const path = `alarms.${alarmName}.actions[${i}]`;
        if (!(alarm instanceof cloudwatch.Alarm)) {
          props.warnings.add(`${path} (${props.environment})`, 'not synthesized: the alarm does not exist in this environment');
          return;
        }
        const step = new appscaling.StepScalingAction(this, `Step${pascalCase(alarmName)}${i}`, {
          scalingTarget: this.target,
          policyName: `${props.serviceName}-${alarmName}-${i}`,
          adjustmentType: appscaling.AdjustmentType[ADJUSTMENT_TYPES[action.adjustmentType]],
          cooldown: Duration.millis(action.cooldownMs),
          ...(action.minAdjustmentMagnitude !== undefined ? { minAdjustmentMagnitude: action.minAdjustmentMagnitude } : {}),
        });
        for (const st of action.steps) step.addAdjustment({ adjustment: st.adjustment, ...(st.lowerBound !== undefined ? { lowerBound: st.lowerBound } : {}), ...(st.upperBound !== undefined ? { upperBound: st.upperBound } : {}) });
        alarm.addAlarmAction(new cwActions.ApplicationScalingAction(step));
      });
    }
  }
}