import type { aws_ecr as ecr, aws_logs as logs } from 'aws-cdk-lib';
import { Duration, aws_ecs as ecs, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../shared/index.js';
import { adotCollectorConfig, ENVIRONMENT_ATTRIBUTE } from './model/adot-config.js';
import { isNodeService } from './model/dockerfile.js';
import { CONTAINER_PORT, customMetricNamespace, ecsServiceName, metricsLogGroupName, pascalCase, secretName } from './model/names.js';

/** The ADOT collector image the sidecar runs (ECR Public). */
export const DEFAULT_ADOT_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';

/** Options of {@link SlipwayTaskDefinition}. */
export interface SlipwayTaskDefinitionProps {
  readonly app: string;
  readonly environment: string;
  readonly service: ResolvedService;
  /** The service's ECR repository. */
  readonly repository: ecr.IRepository;
  /** Image tag of the first deployment (later ones come from the pipeline). */
  readonly imageTag: string;
  /** The service's env, `${services.<name>.url}` already replaced. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** Log group of the containers. */
  readonly logGroup: logs.ILogGroup;
  /** Log group of the collector's EMF metrics. */
  readonly metricsLogGroup: logs.ILogGroup;
  /** @default {@link DEFAULT_ADOT_IMAGE} */
  readonly adotImage?: string;
}

/**
 * A service's Fargate task definition: CPU and memory from the model; the app container with its env,
 * its secrets as Secrets Manager references (`<app>/<environment>/<NAME>`, resolved by ECS at start —
 * values never enter the template), the port mapping, a health check, and CloudWatch Logs; and an ADOT
 * collector sidecar that receives OTLP on localhost and sends traces to X-Ray, metrics to CloudWatch.
 */
export class SlipwayTaskDefinition extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container (named after the service). */
  readonly container: ecs.ContainerDefinition;

  constructor(scope: Construct, id: string, props: SlipwayTaskDefinitionProps) {
    super(scope, id);
    const { service, app, environment } = props;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: ecsServiceName(app, environment, service.name),
      cpu: service.cpuUnits,
      memoryLimitMiB: service.memoryMiB,
      runtimePlatform: { cpuArchitecture: cpuArchitecture(service), operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const secrets: Record<string, ecs.Secret> = {};
    for (const name of service.secrets) {
      const secret = secretsmanager.Secret.fromSecretNameV2(this, `Secret${pascalCase(name)}`, secretName(app, environment, name));
      secrets[name] = ecs.Secret.fromSecretsManager(secret);
    }
    this.container = this.taskDefinition.addContainer('App', {
      containerName: service.name,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      essential: true,
      environment: {
        ...props.environmentVariables,
        [service.portEnv]: String(CONTAINER_PORT),
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SERVICE_NAME: service.name,
        OTEL_RESOURCE_ATTRIBUTES: `${ENVIRONMENT_ATTRIBUTE}=${environment},service.namespace=${app}`,
      },
      secrets,
      portMappings: [{ containerPort: CONTAINER_PORT, name: 'http', protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: service.name }),
      healthCheck: isNodeService(service) ? containerHealthCheck(service) : undefined,
    });
    // The app container is added first: it is the task's default container (the load balancer target).
    const collector = this.taskDefinition.addContainer('Collector', {
      containerName: 'aws-otel-collector',
      image: ecs.ContainerImage.fromRegistry(props.adotImage ?? DEFAULT_ADOT_IMAGE),
      essential: true,
      memoryReservationMiB: 64,
      environment: { AOT_CONFIG_CONTENT: adotCollectorConfig({ namespace: customMetricNamespace(app), metricsLogGroupName: metricsLogGroupName(app, environment) }) },
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: 'collector' }),
    });
    this.container.addContainerDependencies({ container: collector, condition: ecs.ContainerDependencyCondition.START });
    // The collector's permissions: X-Ray has no resource-level permissions for these calls.
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
        resources: ['*'],
      }),
    );
    props.metricsLogGroup.grantWrite(this.taskDefinition.taskRole);
    this.taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['logs:DescribeLogStreams'], resources: [props.metricsLogGroup.logGroupArn] }));
  }
}

/** The model's health check inside the container (Node has `fetch`; slim images have no curl). */
function containerHealthCheck(service: ResolvedService): ecs.HealthCheck {
  const h = service.health;
  const url = `http://127.0.0.1:${CONTAINER_PORT}${h.path}`;
  return {
    command: ['CMD', 'node', '-e', `fetch(${JSON.stringify(url)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
    interval: Duration.seconds(Math.min(300, Math.max(5, Math.ceil(h.intervalMs / 1000)))),
    timeout: Duration.seconds(Math.min(60, Math.max(2, Math.ceil(h.timeoutMs / 1000)))),
    retries: Math.min(10, Math.max(1, h.unhealthyThreshold)),
    startPeriod: Duration.seconds(Math.min(300, Math.ceil(h.gracePeriodMs / 1000))),
  };
}

/** Fargate's CPU architecture for the service's image: ARM64 when it is built for linux/arm64 and not for linux/amd64 (Graviton), else X86_64. */
export function cpuArchitecture(service: ResolvedService): ecs.CpuArchitecture {
  const platforms = service.image?.platforms ?? [];
  return platforms.includes('linux/arm64') && !platforms.includes('linux/amd64') ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64;
}
