import { Duration, aws_applicationautoscaling as appscaling } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedScaling } from '../../shared/index.js';
import type { SlipwayService } from './slipway-service.js';

/** Options of {@link SlipwayServiceScaling}. */
export interface SlipwayServiceScalingProps {
  readonly scaling: ResolvedScaling;
  readonly service: SlipwayService;
  readonly clusterName: string;
  readonly serviceName: string;
}

/**
 * Application Auto Scaling of an ECS service: task count between the model's min and max, target
 * tracking on average CPU and on ALB requests per task. Under CodeDeploy the service's traffic moves
 * between two target groups, so requests per task are computed from both (metric math) instead of
 * `ALBRequestCountPerTarget`, which follows one target group only.
 */
export class SlipwayServiceScaling extends Construct {
  readonly target: appscaling.ScalableTarget;

  constructor(scope: Construct, id: string, props: SlipwayServiceScalingProps) {
    super(scope, id);
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
    new appscaling.CfnScalingPolicy(this, 'Requests', {
      policyName: `${props.serviceName}-requests-per-task`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: scaling.targetRequestsPerTask,
        scaleInCooldown: Math.round(scaling.scaleInCooldownMs / 1000),
        scaleOutCooldown: Math.round(scaling.scaleOutCooldownMs / 1000),
        customizedMetricSpecification: {
          metrics: [
            requests('blue', blue.targetGroupFullName),
            requests('green', green.targetGroupFullName),
            {
              id: 'tasks',
              returnData: false,
              metricStat: { metric: { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: [{ name: 'ClusterName', value: props.clusterName }, { name: 'ServiceName', value: props.serviceName }] }, stat: 'Average' },
            },
            { id: 'perTask', expression: '(FILL(blue, 0) + FILL(green, 0)) / tasks', label: 'requests per task', returnData: true },
          ],
        },
      },
    });
  }
}
