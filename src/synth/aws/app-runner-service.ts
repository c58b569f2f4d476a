import type { aws_ecr as ecr } from 'aws-cdk-lib';
import { aws_apprunner as apprunner, aws_ec2 as ec2, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../shared/index.js';
import { ENVIRONMENT_ATTRIBUTE } from './model/adot-config.js';
import { CONTAINER_PORT, limitName, pascalCase, secretName } from './model/names.js';
import { APP_RUNNER_HEALTH_LIMITS, appRunnerSize, fitHealthCheck } from './model/service-limits.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayAppRunnerService}. */
export interface SlipwayAppRunnerServiceProps {
  readonly app: string;
  readonly environment: string;
  readonly service: ResolvedService;
  readonly repository: ecr.IRepository;
  /** The service's env with service URLs substituted. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** Reach the VPC (the internal ALB of ECS services) through a VPC connector. */
  readonly vpcEgress: { readonly vpc: ec2.IVpc; readonly securityGroup: ec2.ISecurityGroup } | undefined;
  readonly warnings: SynthWarnings;
}

/** Concurrent requests per instance before App Runner adds one (App Runner's default). */
const DEFAULT_MAX_CONCURRENCY = 100;

/**
 * A service with `platform: 'apprunner'`: an App Runner service running the image tagged with the
 * environment's name (the pipeline moves that tag; automatic deployments follow it), sized from the
 * model's CPU and memory, with the model's health check, an auto scaling configuration (min/max
 * instances), X-Ray tracing through an observability configuration, and secrets as Secrets Manager references.
 */
export class SlipwayAppRunnerService extends Construct {
  readonly service: apprunner.CfnService;
  /** The service's HTTPS URL. */
  readonly url: string;
  readonly instanceRole: iam.Role;

  constructor(scope: Construct, id: string, props: SlipwayAppRunnerServiceProps) {
    super(scope, id);
    const { service, warnings, app, environment } = props;
    const path = `services.${service.name}`;
    const name = (suffix = '', max = 32) => limitName(`${app}-${environment}-${service.name}${suffix}`, max);
    const accessRole = new iam.Role(this, 'AccessRole', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'), description: 'App Runner pulls the image from ECR' });
    props.repository.grantPull(accessRole);
    this.instanceRole = new iam.Role(this, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'), description: 'the service at run time' });
    this.instanceRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
        resources: ['*'],
      }),
    );
    const secrets = service.secrets.map((s) => {
      const secret = secretsmanager.Secret.fromSecretNameV2(this, `Secret${pascalCase(s)}`, secretName(app, environment, s));
      secret.grantRead(this.instanceRole);
      return { name: s, value: secret.secretArn };
    });
    const size = appRunnerSize(service);
    for (const d of size.differences) warnings.add(path, d);
    const health = fitHealthCheck(service.health, APP_RUNNER_HEALTH_LIMITS);
    for (const d of health.differences) warnings.add(`${path}.health`, d);
    if (service.scaling.targetCpuPercent !== undefined || service.scaling.targetRequestsPerTask !== undefined) {
      warnings.add(`${path}.scaling`, `App Runner scales on concurrent requests per instance (${DEFAULT_MAX_CONCURRENCY}), not on CPU or requests per task`);
    }
    const scaling = new apprunner.CfnAutoScalingConfiguration(this, 'Scaling', {
      autoScalingConfigurationName: name(),
      minSize: Math.max(1, service.scaling.min),
      maxSize: Math.max(1, service.scaling.max),
      maxConcurrency: DEFAULT_MAX_CONCURRENCY,
    });
    const observability = new apprunner.CfnObservabilityConfiguration(this, 'Observability', {
      observabilityConfigurationName: name(),
      traceConfiguration: { vendor: 'AWSXRAY' },
    });
    const connector =
      props.vpcEgress === undefined
        ? undefined
        : new apprunner.CfnVpcConnector(this, 'VpcConnector', {
            vpcConnectorName: name('-vpc', 40),
            subnets: props.vpcEgress.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
            securityGroups: [props.vpcEgress.securityGroup.securityGroupId],
          });
    this.service = new apprunner.CfnService(this, 'Service', {
      serviceName: name('', 40),
      sourceConfiguration: {
        autoDeploymentsEnabled: true,
        authenticationConfiguration: { accessRoleArn: accessRole.roleArn },
        imageRepository: {
          imageRepositoryType: 'ECR',
          imageIdentifier: `${props.repository.repositoryUri}:${environment}`,
          imageConfiguration: {
            port: String(CONTAINER_PORT),
            runtimeEnvironmentVariables: Object.entries({
              ...props.environmentVariables,
              [service.portEnv]: String(CONTAINER_PORT),
              OTEL_SERVICE_NAME: service.name,
              OTEL_RESOURCE_ATTRIBUTES: `${ENVIRONMENT_ATTRIBUTE}=${environment},service.namespace=${app}`,
            }).map(([n, value]) => ({ name: n, value })),
            runtimeEnvironmentSecrets: secrets.length > 0 ? secrets : undefined,
          },
        },
      },
      instanceConfiguration: { cpu: size.cpu, memory: size.memory, instanceRoleArn: this.instanceRole.roleArn },
      healthCheckConfiguration: {
        protocol: 'HTTP',
        path: service.health.path,
        interval: health.intervalSeconds,
        timeout: health.timeoutSeconds,
        healthyThreshold: health.healthyThreshold,
        unhealthyThreshold: health.unhealthyThreshold,
      },
      autoScalingConfigurationArn: scaling.attrAutoScalingConfigurationArn,
      observabilityConfiguration: { observabilityEnabled: true, observabilityConfigurationArn: observability.attrObservabilityConfigurationArn },
      networkConfiguration: connector === undefined ? undefined : { egressConfiguration: { egressType: 'VPC', vpcConnectorArn: connector.attrVpcConnectorArn } },
    });
    this.url = `https://${this.service.attrServiceUrl}`;
  }
}
