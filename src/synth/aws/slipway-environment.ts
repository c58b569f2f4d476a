import type { aws_cloudwatch as cloudwatch, aws_ec2 as ec2, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { CfnParameter, RemovalPolicy, Stack, type StackProps, aws_codedeploy as codedeploy, aws_ecs as ecs, aws_logs as logs, type aws_sns as sns } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { interpolateEnv, isAutoscaled, type ResolvedApp, type ResolvedService } from '../../shared/index.js';
import { SlipwayAppRunnerService } from './app-runner-service.js';
import { SlipwayEnvironmentAlarms } from './environment-alarms.js';
import { SlipwayEnvironmentDashboards } from './environment-dashboards.js';
import type { AppRunnerMetricTarget, EcsMetricTarget, EnvironmentMetricTargets } from './environment-metrics.js';
import { SlipwayNetwork, type VpcSource } from './environment-network.js';
import { SlipwayEnvironmentTracing } from './environment-tracing.js';
import { planDeployment, type DeploymentPlan } from './model/deployment-plan.js';
import { INTERNAL_LISTENER_BASE_PORT, alarmName, clusterName, ecsServiceName, metricsLogGroupName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { addEnvironmentSuppressions } from './nag-suppressions.js';
import { SlipwayServiceDeployment, ecsDeploymentConfig } from './service-deployment.js';
import { SlipwayServiceScaling } from './service-scaling.js';
import { SlipwayService } from './slipway-service.js';

/** How the pipeline deploys one service of an environment. */
export type ServiceDeployTarget =
  /** The CodePipeline ECS deploy action (rolling update from `imagedefinitions.json`). */
  | { readonly kind: 'EcsRolling'; readonly service: ecs.IBaseService }
  /** The CodePipeline CodeDeploy ECS blue/green action (`taskdef-<env>.json`, `appspec.yaml`). */
  | { readonly kind: 'CodeDeploy'; readonly deploymentGroup: codedeploy.IEcsDeploymentGroup; readonly family: string }
  /** Moving the environment's image tag, which the App Runner service follows. */
  | { readonly kind: 'AppRunner'; readonly serviceArn: string }
  /** Updating the image of the service's Rollout (or Deployment) on an EKS cluster, from inside its VPC. */
  | {
      readonly kind: 'EksRollout';
      readonly clusterName: string;
      readonly clusterArn: string;
      readonly namespace: string;
      readonly workloadKind: 'Rollout' | 'Deployment';
      readonly workloadName: string;
      /** The identity the cluster authorizes (a namespaced Role); the deploy build assumes it. */
      readonly deployRole: iam.IRole;
      readonly vpc: ec2.IVpc;
      /** Admitted to the cluster's private endpoint. */
      readonly securityGroup: ec2.ISecurityGroup;
    };

/** Options of {@link SlipwayEnvironment}. */
export interface SlipwayEnvironmentProps extends StackProps {
  /** The resolved app model. */
  readonly app: ResolvedApp;
  /** The environment's name (a key of `app.environments`). */
  readonly environment: string;
  /** ECR repositories by service (from the shared stack). */
  readonly repositories: Readonly<Record<string, ecr.IRepository>>;
  /** SNS topics by model topic name (from the shared stack). */
  readonly topics: Readonly<Record<string, sns.ITopic>>;
  /** @default 'create' */
  readonly vpc?: VpcSource;
  /** AZs of a new VPC. @default the region's first two (`Fn::GetAZs`) */
  readonly availabilityZones?: readonly string[];
  /** @default 1 */
  readonly natGateways?: number;
  /** ACM certificate ARN; listeners become HTTPS. @default HTTP */
  readonly certificateArn?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** ADOT collector image. @default the version slipway pins */
  readonly adotImage?: string;
  /** Where differences between the model and AWS are reported. */
  readonly warnings: SynthWarnings;
}

/**
 * One slipway environment as a stack: network, cluster and load balancers; every service on ECS Fargate
 * (or App Runner) with its deployment strategy mapped (CodeDeploy or ECS rolling), auto scaling, alarms,
 * dashboards and X-Ray. `${services.<name>.url}` becomes `http://<internal ALB>:<port>` of an ECS service
 * without an ingress (one listener per service, like the local router's service addresses), the ingress
 * ALB's address for one with an ingress path, and the HTTPS URL of an App Runner service.
 */
export class SlipwayEnvironment extends Stack {
  readonly network: SlipwayNetwork;
  /** ECS services by name. */
  readonly services: Readonly<Record<string, SlipwayService>>;
  /** App Runner services by name. */
  readonly appRunnerServices: Readonly<Record<string, SlipwayAppRunnerService>>;
  /** CloudWatch alarms by model alarm name. */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  /** How the pipeline deploys each service. */
  readonly deployTargets: Readonly<Record<string, ServiceDeployTarget>>;
  /** How each ECS service is deployed (ECS rolling or CodeDeploy), by service name. */
  readonly plans: Readonly<Record<string, DeploymentPlan>>;

  constructor(scope: Construct, id: string, props: SlipwayEnvironmentProps) {
    super(scope, id, props);
    const { app, warnings } = props;
    const env = app.environments[props.environment];
    if (env === undefined) throw new Error(`no environment ${props.environment}`);
    const envPath = `environments.${env.name}`;
    const services = Object.values(app.services);
    const ecsServices = services.filter((s) => s.platform === 'ecs');
    const runnerServices = services.filter((s) => s.platform === 'apprunner');
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.network = new SlipwayNetwork(this, 'Network', {
      app: app.name,
      environment: env.name,
      vpc: props.vpc,
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      ingress: ecsServices.some((s) => s.ingressPathPrefix !== undefined),
      internal: ecsServices.some((s) => s.ingressPathPrefix === undefined),
      testPort: env.testPort,
      certificateArn: props.certificateArn,
      logRetention,
    });
    const network = this.network;
    const metricsLogGroup = new logs.LogGroup(this, 'Metrics', { logGroupName: metricsLogGroupName(app.name, env.name), retention: logRetention, encryptionKey: network.key, removalPolicy: RemovalPolicy.RETAIN });
    const imageTag = new CfnParameter(this, 'ImageTag', { type: 'String', default: env.name, description: 'Image tag the ECS services start with (the pipeline deploys later images)' }).valueAsString;

    // Service URLs are known before any service exists: load balancer addresses and fixed listener ports.
    const internalPorts = new Map(ecsServices.filter((s) => s.ingressPathPrefix === undefined).map((s, i) => [s.name, INTERNAL_LISTENER_BASE_PORT + i]));
    const runners: Record<string, SlipwayAppRunnerService> = {};
    const urlOf = (name: string): string => {
      const runner = runners[name];
      if (runner !== undefined) return runner.url;
      const port = internalPorts.get(name);
      if (port !== undefined && network.internal !== undefined) return `http://${network.internal.loadBalancer.loadBalancerDnsName}:${port}`;
      if (network.ingress !== undefined) return `${network.scheme}://${network.ingress.loadBalancer.loadBalancerDnsName}`;
      return `http://${name}.invalid`;
    };
    const envOf = (s: ResolvedService) => Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, interpolateEnv(v, urlOf)]));
    for (const s of services) {
      for (const ref of s.urlReferences) {
        const target = app.services[ref];
        if (target?.platform === 'ecs' && target.ingressPathPrefix !== undefined) {
          warnings.add(`services.${s.name}.env`, `${ref} has an ingress path, so its URL is the ingress ALB's address (requests outside ${target.ingressPathPrefix} reach other services)`);
        }
      }
    }

    // App Runner first: ECS services read their URLs; they reach ECS services through a VPC connector.
    for (const s of runnerServices) {
      if (env.strategy.kind !== 'AllAtOnce' && env.strategy.kind !== 'Rolling') {
        warnings.add(`services.${s.name}`, `App Runner replaces instances itself; the environment's ${env.strategy.kind} strategy applies to ECS services only`);
      }
      const needsVpc = s.urlReferences.some((r) => internalPorts.has(r));
      runners[s.name] = new SlipwayAppRunnerService(this, `Runner${pascalCase(s.name)}`, {
        app: app.name,
        environment: env.name,
        service: s,
        repository: props.repositories[s.name]!,
        environmentVariables: envOf(s),
        vpcEgress: needsVpc ? { vpc: network.vpc, securityGroup: network.tasksSecurityGroup } : undefined,
        warnings,
      });
    }
    this.appRunnerServices = runners;

    const ecsResources: Record<string, SlipwayService> = {};
    const plans: Record<string, DeploymentPlan> = {};
    let priority = 10;
    for (const s of ecsServices) {
      const planned = planDeployment(env.strategy, s.scaling.min);
      for (const d of planned.differences) warnings.add(`${envPath}.strategy`, d);
      plans[s.name] = planned.plan;
      const port = internalPorts.get(s.name);
      ecsResources[s.name] = new SlipwayService(this, `Service${pascalCase(s.name)}`, {
        app: app.name,
        environment: env.name,
        service: s,
        network,
        repository: props.repositories[s.name]!,
        imageTag,
        environmentVariables: envOf(s),
        exposure: port === undefined ? { kind: 'ingress', pathPrefix: s.ingressPathPrefix ?? '/', priority: (priority += 10) } : { kind: 'internal', port },
        plan: planned.plan,
        logRetention,
        metricsLogGroup,
        adotImage: props.adotImage,
        warnings,
      });
    }
    this.services = ecsResources;
    this.plans = plans;

    const targets: EnvironmentMetricTargets = {
      app: app.name,
      environment: env.name,
      clusterName: clusterName(app.name, env.name),
      loadBalancerFullNames: [network.ingress, network.internal].filter((x) => x !== undefined).map((x) => x.loadBalancer.loadBalancerFullName),
      services: {
        ...Object.fromEntries(
          Object.entries(ecsResources).map(([name, r]): [string, EcsMetricTarget] => [
            name,
            { kind: 'ecs', loadBalancerFullName: r.loadBalancer.loadBalancerFullName, targetGroupFullNames: r.targetGroups.map((tg) => tg.targetGroupFullName), clusterName: clusterName(app.name, env.name), serviceName: ecsServiceName(app.name, env.name, name) },
          ]),
        ),
        ...Object.fromEntries(Object.entries(runners).map(([name, r]): [string, AppRunnerMetricTarget] => [name, { kind: 'apprunner', serviceName: r.service.serviceName ?? name, serviceId: r.service.attrServiceId }])),
      },
    };
    const alarms = new SlipwayEnvironmentAlarms(this, 'Alarms', { app, environment: env.name, targets, topics: props.topics, warnings }).alarms;
    this.alarms = alarms;
    for (const a of env.rollbackOn) if (alarms[a] === undefined) warnings.add(`${envPath}.rollbackOn`, `${a} does not exist in this environment: deployments do not watch it`);
    const rollbackOn = env.rollbackOn.filter((a) => alarms[a] !== undefined);
    const rollbackAlarms = rollbackOn.map((a) => alarms[a]!);
    for (const [name, r] of Object.entries(ecsResources)) {
      // ECS rolling deployments roll back on the same alarms CodeDeploy watches.
      if (plans[name]?.controller !== 'ECS' || rollbackOn.length === 0) continue;
      r.service.enableDeploymentAlarms(rollbackOn.map((a) => alarmName(app.name, env.name, a)), { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
      for (const a of rollbackAlarms) r.service.node.addDependency(a);
    }

    const deployTargets: Record<string, ServiceDeployTarget> = {};
    const codeDeployApp = Object.values(plans).some((p) => p.controller === 'CODE_DEPLOY') ? new codedeploy.EcsApplication(this, 'CodeDeploy', { applicationName: `${app.name}-${env.name}` }) : undefined;
    let sharedConfig: codedeploy.IEcsDeploymentConfig | undefined;
    for (const [name, r] of Object.entries(ecsResources)) {
      const plan = plans[name]!;
      const s = app.services[name]!;
      if (plan.controller === 'CODE_DEPLOY' && codeDeployApp !== undefined) {
        sharedConfig ??= ecsDeploymentConfig(this, plan.config);
        const deployment = new SlipwayServiceDeployment(this, `Deploy${pascalCase(name)}`, {
          application: codeDeployApp,
          deploymentConfig: sharedConfig,
          service: r,
          name,
          alarms: rollbackAlarms,
          terminationWaitMinutes: plan.terminationWaitMinutes,
        });
        deployTargets[name] = { kind: 'CodeDeploy', deploymentGroup: deployment.deploymentGroup, family: ecsServiceName(app.name, env.name, name) };
      } else {
        deployTargets[name] = { kind: 'EcsRolling', service: r.service };
      }
      if (s.scaling.max > s.scaling.min || isAutoscaled(s.scaling)) {
        new SlipwayServiceScaling(this, `Scaling${pascalCase(name)}`, {
          scaling: s.scaling,
          service: r,
          clusterName: clusterName(app.name, env.name),
          serviceName: ecsServiceName(app.name, env.name, name),
          name,
          environment: env.name,
          alarmDefinitions: app.alarms,
          alarms,
          targets,
          warnings,
        });
      }
    }
    for (const [name, r] of Object.entries(runners)) deployTargets[name] = { kind: 'AppRunner', serviceArn: r.service.attrServiceArn };
    this.deployTargets = deployTargets;

    for (const [hook] of Object.entries(env.hooks)) {
      warnings.add(`${envPath}.hooks.${hook}`, 'CodeDeploy ECS hooks are Lambda functions; command and URL hooks are not synthesized');
    }
    const strategy = env.strategy;
    if ((strategy.kind === 'Canary' || strategy.kind === 'Linear') && strategy.analysis !== undefined) {
      const a = strategy.analysis;
      if (a.maxErrorRatePercent !== undefined || a.maxLatencyP99Ms !== undefined) warnings.add(`${envPath}.strategy.analysis`, 'CodeDeploy watches alarms only: maxErrorRatePercent and maxLatencyP99 need alarms of their own (add them to rollbackOn)');
    }
    // With a pipeline, the approval sits between the environment's change set and its execution.
    if (env.requiresApproval && app.pipeline === undefined) warnings.add(`${envPath}.requiresApproval`, 'without a pipeline nothing asks for the approval on AWS');

    new SlipwayEnvironmentDashboards(this, 'Dashboards', {
      app,
      environment: env.name,
      targets,
      alarms,
      logGroupNames: Object.values(ecsResources).map((r) => r.logGroup.logGroupName),
      warnings,
    });
    new SlipwayEnvironmentTracing(this, 'Tracing', { app: app.name, environment: env.name });
    addEnvironmentSuppressions(this);
  }
}
