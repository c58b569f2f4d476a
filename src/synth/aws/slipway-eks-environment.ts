import type { aws_cloudwatch as cloudwatch, aws_ecr as ecr } from 'aws-cdk-lib';
import { Aws, CfnParameter, RemovalPolicy, Stack, Token, type StackProps, aws_ec2 as ec2, aws_eks as eksL1, type aws_eks_v2 as eks, aws_iam as iam, aws_logs as logs, cx_api as cxapi } from 'aws-cdk-lib';
import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedApp } from '../../shared/index.js';
import { addEnvironmentCharts, compileK8sOptions, type EnvironmentCharts } from '../k8s/index.js';
import { SlipwayEksCluster } from './eks-cluster.js';
import type { CompiledEksOptions } from './eks-options.js';
import { SlipwayNetwork, type VpcSource } from './environment-network.js';
import { SlipwayEnvironmentTracing } from './environment-tracing.js';
import { clusterName, metricsLogGroupName, pascalCase, pipelineStackName } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { addEksEnvironmentSuppressions } from './nag-suppressions.js';
import type { ServiceDeployTarget } from './slipway-environment.js';

/** The Kubernetes group the pipeline's deploy builds act as; a Role in the services' namespace binds it. */
export const DEPLOYERS_GROUP = 'slipway-deployers';

/** Options of {@link SlipwayEksEnvironment}. */
export interface SlipwayEksEnvironmentProps extends StackProps {
  readonly app: ResolvedApp;
  /** The environment's name (a key of `app.environments`, of platform `eks`). */
  readonly environment: string;
  /** ECR repositories by service (from the shared stack). */
  readonly repositories: Readonly<Record<string, ecr.IRepository>>;
  readonly eks: CompiledEksOptions;
  /** @default 'create' */
  readonly vpc?: VpcSource;
  readonly availabilityZones?: readonly string[];
  readonly natGateways?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  readonly warnings: SynthWarnings;
}

/**
 * One slipway environment on EKS: the VPC, an EKS cluster with its controllers (see
 * {@link SlipwayEksCluster}), and the environment's Kubernetes charts — the same charts `slipway synth k8s`
 * writes (namespace, collector, flagd, SecretStore, AnalysisTemplates, then per service its Rollout or
 * Deployment, Services, HPA, PDB, Ingress) — applied to the cluster with images from the shared ECR
 * repositories. The pipeline deploys a commit by updating each Rollout's image, as a Kubernetes group
 * that may only read and patch the workloads of this namespace.
 */
export class SlipwayEksEnvironment extends Stack {
  readonly network: SlipwayNetwork;
  readonly eks: SlipwayEksCluster;
  /** The charts applied to the cluster. */
  readonly charts: EnvironmentCharts;
  /** The applied manifests: `platform` first, then one per service. */
  readonly manifests: Readonly<Record<string, eks.KubernetesManifest>>;
  /** The role the pipeline's deploy builds act as in the cluster (no IAM permissions of its own). */
  readonly deployRole: iam.Role;
  /** The security group of the deploy builds, admitted to the cluster's private endpoint. */
  readonly deploySecurityGroup: ec2.SecurityGroup;
  /** No CloudWatch alarms: on EKS `rollbackOn` runs as Argo Rollouts analysis in the cluster. */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>> = {};
  readonly deployTargets: Readonly<Record<string, ServiceDeployTarget>>;

  constructor(scope: Construct, id: string, props: SlipwayEksEnvironmentProps) {
    super(scope, id, props);
    // The cluster's OIDC provider as AWS::IAM::OIDCProvider rather than CDK's deprecated custom resource.
    this.node.setContext(cxapi.EKS_USE_NATIVE_OIDC_PROVIDER, true);
    const { app, warnings } = props;
    const env = app.environments[props.environment];
    if (env === undefined) throw new Error(`no environment ${props.environment}`);
    const envPath = `environments.${env.name}`;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.network = new SlipwayNetwork(this, 'Network', {
      app: app.name,
      environment: env.name,
      vpc: props.vpc,
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      ingress: false,
      internal: false,
      ecsCluster: false,
      logRetention,
    });
    const metricsLogGroup = new logs.LogGroup(this, 'Metrics', { logGroupName: metricsLogGroupName(app.name, env.name), retention: logRetention, encryptionKey: this.network.key, removalPolicy: RemovalPolicy.RETAIN });
    const imageTag = new CfnParameter(this, 'ImageTag', { type: 'String', default: env.name, description: 'Image tag the workloads start with (the pipeline deploys later images)' }).valueAsString;

    const k8sOptions = {
      ...compileK8sOptions({ trafficRouting: 'alb', analysisProvider: props.eks.analysisProvider, prometheusAddress: props.eks.prometheusAddress, secrets: 'external-secrets', telemetry: 'aws' }),
      // The shared stack's repositories `<app>/<service>` in this account and region, and the stack's image tag.
      imageRegistry: `${this.account}.dkr.ecr.${this.region}.${Aws.URL_SUFFIX}`,
      imageTag,
      region: this.region,
    };
    const charts = addEnvironmentCharts(new Cdk8sApp(), { app, environment: env, options: k8sOptions, warnings, externalServiceAccount: true });
    this.charts = charts;
    const namespace = charts.namespace;

    this.eks = new SlipwayEksCluster(this, 'Eks', { clusterName: clusterName(app.name, env.name), vpc: this.network.vpc, namespace, options: props.eks });
    const cluster = this.eks.cluster;
    const platform = cluster.addCdk8sChart('Platform', charts.platform);
    // The charts hold Rollouts, AnalysisTemplates, SecretStores and ALB Ingresses: their controllers (CRDs, webhooks) come first.
    platform.node.addDependency(...this.eks.controllers);
    // ServiceAccounts with IRSA roles, in the namespace the platform chart creates.
    const collector = this.eks.addCollectorServiceAccount(charts.platform.collectorServiceAccount, namespace, metricsLogGroup);
    collector.node.addDependency(platform);
    if (hasSecretsOf(app)) {
      this.eks.addSecretsServiceAccount(charts.platform.secretsServiceAccount, namespace, app.name, env.name).node.addDependency(platform);
    }
    const manifests: Record<string, eks.KubernetesManifest> = { platform };
    for (const chart of charts.services) {
      const manifest = cluster.addCdk8sChart(`Service${pascalCase(chart.serviceName)}`, chart);
      manifest.node.addDependency(platform, collector);
      manifests[chart.serviceName] = manifest;
    }
    this.manifests = manifests;

    // The pipeline's deploy builds: an identity for the cluster only (the cluster authorizes it through the
    // namespaced Role below), assumable by the pipeline stack's roles that are granted sts:AssumeRole on it.
    this.deployRole = new iam.Role(this, 'DeployRole', {
      description: `slipway: the pipeline updates the workloads of ${namespace}`,
      assumedBy: new iam.AccountRootPrincipal().withConditions({ ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${this.account}:role/${pipelineStackName(app.name)}-*` } }),
    });
    new eksL1.CfnAccessEntry(this, 'DeployAccess', { clusterName: cluster.clusterName, principalArn: this.deployRole.roleArn, kubernetesGroups: [DEPLOYERS_GROUP], type: 'STANDARD' }).node.addDependency(cluster);
    const rbac = cluster.addManifest(
      'DeployRbac',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: DEPLOYERS_GROUP, namespace },
        rules: [
          { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list', 'watch', 'patch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
          { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: DEPLOYERS_GROUP, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: DEPLOYERS_GROUP },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: DEPLOYERS_GROUP }],
      },
    );
    rbac.node.addDependency(platform);
    this.deploySecurityGroup = new ec2.SecurityGroup(this, 'DeploySecurityGroup', { vpc: this.network.vpc, description: 'slipway deploy builds: reach the cluster API', allowAllOutbound: true });
    cluster.connections.allowFrom(this.deploySecurityGroup, ec2.Port.tcp(443), 'the pipeline deploy builds');

    const targets: Record<string, ServiceDeployTarget> = {};
    for (const chart of charts.services) {
      targets[chart.serviceName] = {
        kind: 'EksRollout',
        clusterName: cluster.clusterName,
        clusterArn: cluster.clusterArn,
        namespace,
        workloadKind: chart.workloadKind,
        workloadName: chart.serviceName,
        deployRole: this.deployRole,
        vpc: this.network.vpc,
        securityGroup: this.deploySecurityGroup,
      };
    }
    this.deployTargets = targets;

    if (env.rollbackOn.length > 0) warnings.add(`${envPath}.rollbackOn`, 'on EKS the alarms roll back as Argo Rollouts AnalysisTemplates in the cluster; no CloudWatch alarm is created for them');
    if (Object.keys(app.dashboards).length > 0) warnings.add(`${envPath}`, 'dashboards are not synthesized for EKS environments');
    new SlipwayEnvironmentTracing(this, 'Tracing', { app: app.name, environment: env.name });
    const kubectlHandler = cluster.kubectlProvider?.node.tryFindChild('Handler');
    const hasSecrets = hasSecretsOf(app);
    addEksEnvironmentSuppressions(this, kubectlHandler, hasSecrets ? `arn:<AWS::Partition>:secretsmanager:${where(this.region, 'Region')}:${where(this.account, 'AccountId')}:secret:${app.name}/${env.name}/*` : undefined);
  }
}

function hasSecretsOf(app: ResolvedApp): boolean {
  return Object.values(app.services).some((s) => s.secrets.length > 0);
}

/** A region or account as cdk-nag writes it in finding ids: the literal value, or the pseudo parameter. */
function where(value: string, pseudo: 'Region' | 'AccountId'): string {
  return Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
}
