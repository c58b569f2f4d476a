import type { aws_ecr as ecr } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../shared/index.js';
import type { SlipwayNetwork } from './environment-network.js';
import type { DeploymentPlan } from './model/deployment-plan.js';
import { CONTAINER_PORT, ecsServiceName } from './model/names.js';
import { ALB_HEALTH_LIMITS, fitHealthCheck } from './model/service-limits.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { SlipwayTaskDefinition } from './task-definition.js';

/** Where a service's traffic comes from. */
export type ServiceExposure =
  /** A path rule on the ingress ALB's production (and test) listener. */
  | { readonly kind: 'ingress'; readonly pathPrefix: string; readonly priority: number }
  /** Its own listener on the internal ALB. */
  | { readonly kind: 'internal'; readonly port: number };

/** Options of {@link SlipwayService}. */
export interface SlipwayServiceProps {
  readonly app: string;
  readonly environment: string;
  readonly service: ResolvedService;
  readonly network: SlipwayNetwork;
  readonly repository: ecr.IRepository;
  /** Image tag of the first deployment. */
  readonly imageTag: string;
  /** The service's env with service URLs substituted. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly exposure: ServiceExposure;
  /** How deployments run (ECS rolling or CodeDeploy). */
  readonly plan: DeploymentPlan;
  readonly logRetention: logs.RetentionDays;
  /** Log group of the collector's EMF metrics. */
  readonly metricsLogGroup: logs.ILogGroup;
  /** @default the ADOT collector image slipway pins */
  readonly adotImage?: string;
  readonly warnings: SynthWarnings;
}

/**
 * One service on ECS Fargate: its task definition, CloudWatch log group, target groups (blue and green
 * under CodeDeploy, one under ECS rolling) with the model's health check, its place on a load balancer,
 * and the Fargate service with the deployment controller of the environment's strategy (rolling: circuit
 * breaker with rollback and min/max healthy percent; the environment adds its `rollbackOn` alarms).
 */
export class SlipwayService extends Construct {
  readonly taskDefinition: SlipwayTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly service: ecs.FargateService;
  /** Blue first; green too under CodeDeploy. */
  readonly targetGroups: readonly elbv2.ApplicationTargetGroup[];
  /** The listener CodeDeploy shifts production traffic on. */
  readonly listener: elbv2.ApplicationListener;
  /** The listener of test traffic, if the environment has one and the service is on the ingress. */
  readonly testListener: elbv2.ApplicationListener | undefined;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  constructor(scope: Construct, id: string, props: SlipwayServiceProps) {
    super(scope, id);
    const { service, network, plan } = props;
    const path = `services.${service.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/slipway/${props.app}/${props.environment}/${service.name}`,
      retention: props.logRetention,
      encryptionKey: network.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskDefinition = new SlipwayTaskDefinition(this, 'Definition', {
      app: props.app,
      environment: props.environment,
      service,
      repository: props.repository,
      imageTag: props.imageTag,
      environmentVariables: props.environmentVariables,
      logGroup: this.logGroup,
      metricsLogGroup: props.metricsLogGroup,
      adotImage: props.adotImage,
    });

    const health = fitHealthCheck(service.health, ALB_HEALTH_LIMITS);
    for (const d of health.differences) props.warnings.add(`${path}.health`, d);
    const targetGroup = (name: string) =>
      new elbv2.ApplicationTargetGroup(this, name, {
        vpc: network.vpc,
        port: CONTAINER_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        deregistrationDelay: Duration.seconds(30),
        healthCheck: {
          path: service.health.path,
          interval: Duration.seconds(health.intervalSeconds),
          timeout: Duration.seconds(health.timeoutSeconds),
          healthyThresholdCount: health.healthyThreshold,
          unhealthyThresholdCount: health.unhealthyThreshold,
          healthyHttpCodes: '200-299',
        },
      });
    const codeDeploy = plan.controller === 'CODE_DEPLOY';
    const blue = targetGroup('Blue');
    const green = codeDeploy ? targetGroup('Green') : undefined;
    this.targetGroups = green === undefined ? [blue] : [blue, green];
    // Production forwards to blue; CodeDeploy moves the weights. Green is attached at weight 0 so that it
    // belongs to the load balancer from the start, as CodeDeploy itself leaves it after a deployment.
    const production = green === undefined ? elbv2.ListenerAction.forward([blue]) : elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 100 }, { targetGroup: green, weight: 0 }]);
    const test = elbv2.ListenerAction.forward([green ?? blue]);

    if (props.exposure.kind === 'ingress') {
      if (network.ingress === undefined || network.productionListener === undefined) throw new Error('the ingress load balancer is missing');
      this.loadBalancer = network.ingress.loadBalancer;
      this.listener = network.productionListener;
      this.testListener = network.testListener;
      attach(this.listener, 'Production', props.exposure, production);
      if (this.testListener !== undefined) attach(this.testListener, 'Test', props.exposure, test);
    } else {
      if (network.internal === undefined) throw new Error('the internal load balancer is missing');
      this.loadBalancer = network.internal.loadBalancer;
      this.listener = network.addListener(this.loadBalancer, `Service${id}`, props.exposure.port, ec2.Peer.securityGroupId(network.tasksSecurityGroup.securityGroupId));
      this.listener.addAction('Forward', { action: production });
      this.testListener = undefined;
    }

    if (network.cluster === undefined) throw new Error('the ECS cluster is missing');
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: network.cluster,
      serviceName: ecsServiceName(props.app, props.environment, service.name),
      taskDefinition: this.taskDefinition.taskDefinition,
      desiredCount: service.scaling.min,
      securityGroups: [network.tasksSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      healthCheckGracePeriod: Duration.seconds(Math.ceil(service.health.gracePeriodMs / 1000)),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      ...(plan.controller === 'ECS'
        ? {
            deploymentController: { type: ecs.DeploymentControllerType.ECS },
            circuitBreaker: { enable: true, rollback: true },
            minHealthyPercent: plan.minHealthyPercent,
            maxHealthyPercent: plan.maxHealthyPercent,
          }
        : { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } }),
    });
    this.service.attachToApplicationTargetGroup(blue);
  }
}

function attach(listener: elbv2.ApplicationListener, id: string, exposure: Extract<ServiceExposure, { kind: 'ingress' }>, action: elbv2.ListenerAction): void {
  if (exposure.pathPrefix === '/') {
    listener.addAction(`${id}Default`, { action });
    return;
  }
  const prefix = exposure.pathPrefix.replace(/\/+$/, '');
  listener.addAction(`${id}Rule${exposure.priority}`, { priority: exposure.priority, conditions: [elbv2.ListenerCondition.pathPatterns([prefix, `${prefix}/*`])], action });
}
