import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Aws, CfnJson, RemovalPolicy, Stack, aws_ec2 as ec2, aws_eks_v2 as eks, aws_iam as iam, aws_kms as kms, type aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { secretName } from './model/names.js';
import type { CompiledEksOptions } from './eks-options.js';

/** The Kubernetes version of every EKS cluster; the kubectl layer matches it (kubectl is supported within one minor version). */
export const EKS_VERSION = eks.KubernetesVersion.V1_35;

/** The AWS Load Balancer Controller release (Helm chart `aws-load-balancer-controller` from `https://aws.github.io/eks-charts`). */
export const ALB_CONTROLLER_VERSION = eks.AlbControllerVersion.V2_17_1;

/** The Argo Rollouts Helm chart, pinned. */
export const ARGO_ROLLOUTS_CHART = { chart: 'argo-rollouts', repository: 'https://argoproj.github.io/argo-helm', version: '2.39.0', namespace: 'argo-rollouts' } as const;

/** The External Secrets Operator Helm chart, pinned (serves `external-secrets.io/v1`). */
export const EXTERNAL_SECRETS_CHART = { chart: 'external-secrets', repository: 'https://charts.external-secrets.io', version: '0.18.2', namespace: 'external-secrets' } as const;

/** Options of {@link SlipwayEksCluster}. */
export interface SlipwayEksClusterProps {
  readonly clusterName: string;
  readonly vpc: ec2.IVpc;
  /** The namespace of the environment's services (its pods run on Fargate with capacity `fargate`). */
  readonly namespace: string;
  readonly options: CompiledEksOptions;
}

/**
 * An EKS cluster for one environment: the control plane with a private endpoint, every log type and
 * envelope encryption of Secrets, a managed node group (and a Fargate profile for the services'
 * namespace with capacity `fargate`), the kubectl provider that applies manifests and Helm charts,
 * the AWS Load Balancer Controller (its IRSA role holds the controller's published policy), Argo
 * Rollouts and the External Secrets Operator as pinned Helm charts, and the IRSA roles of the
 * environment's own ServiceAccounts (collector, SecretStore), each limited to what that pod calls.
 */
export class SlipwayEksCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly nodegroup: eks.Nodegroup;
  readonly fargateProfile: eks.FargateProfile | undefined;
  /** The controllers the environment's manifests need (CRDs, admission webhooks): apply them first. */
  readonly controllers: readonly Construct[];

  constructor(scope: Construct, id: string, props: SlipwayEksClusterProps) {
    super(scope, id);
    const { options } = props;
    const secretsKey = new kms.Key(this, 'SecretsKey', { enableKeyRotation: true, description: `slipway ${props.clusterName}: Kubernetes Secrets`, removalPolicy: RemovalPolicy.RETAIN });
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: EKS_VERSION,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      // The API is reachable from inside the VPC only: the kubectl provider and the pipeline's deploy builds run there.
      endpointAccess: eks.EndpointAccess.PRIVATE,
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR, eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
      secretsEncryptionKey: secretsKey,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'Kubectl') },
      albController: { version: ALB_CONTROLLER_VERSION },
    });
    const cluster = this.cluster;
    const nodes = options.capacity === 'fargate' ? Math.min(options.nodes, 2) : options.nodes;
    this.nodegroup = cluster.addNodegroupCapacity('Nodes', {
      instanceTypes: [new ec2.InstanceType(options.instanceType)],
      // Amazon Linux 2 has no AMIs for Kubernetes 1.33 and later.
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize: nodes,
      desiredSize: nodes,
      maxSize: nodes * 2,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    this.fargateProfile =
      options.capacity === 'fargate'
        ? cluster.addFargateProfile('Services', { selectors: [{ namespace: props.namespace }], subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } })
        : undefined;

    const argoRollouts = cluster.addHelmChart('ArgoRollouts', {
      ...ARGO_ROLLOUTS_CHART,
      release: 'argo-rollouts',
      createNamespace: true,
      wait: true,
      values: options.analysisProvider === 'cloudwatch' ? { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': this.argoRolloutsRole().roleArn } } } : {},
    });
    const externalSecrets = cluster.addHelmChart('ExternalSecrets', { ...EXTERNAL_SECRETS_CHART, release: 'external-secrets', createNamespace: true, wait: true, values: { installCRDs: true } });
    for (const chart of [argoRollouts, externalSecrets]) chart.node.addDependency(this.nodegroup);
    this.controllers = [argoRollouts, externalSecrets, ...(cluster.albController === undefined ? [] : [cluster.albController])];
  }

  /**
   * The collector's ServiceAccount (`name` in the services' namespace): X-Ray traces and sampling (no
   * resource-level permissions), EMF metrics into the environment's metrics log group only.
   */
  addCollectorServiceAccount(name: string, namespace: string, metricsLogGroup: logs.ILogGroup): eks.ServiceAccount {
    const account = this.cluster.addServiceAccount('CollectorAccount', { name, namespace });
    account.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], resources: ['*'] }));
    account.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [metricsLogGroup.logGroupArn] }));
    return account;
  }

  /** The SecretStore's ServiceAccount: reads the environment's secrets (`<app>/<env>/*`) and nothing else. */
  addSecretsServiceAccount(name: string, namespace: string, app: string, environment: string): eks.ServiceAccount {
    const account = this.cluster.addServiceAccount('SecretsAccount', { name, namespace });
    const stack = Stack.of(this);
    account.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [`arn:${Aws.PARTITION}:secretsmanager:${stack.region}:${stack.account}:secret:${secretName(app, environment, '*')}`],
      }),
    );
    return account;
  }

  /** With CloudWatch analysis, the Argo Rollouts controller reads metrics (GetMetricData has no resource-level permissions). */
  private argoRolloutsRole(): iam.Role {
    const provider = this.cluster.openIdConnectProvider;
    const issuer = provider.openIdConnectProviderIssuer;
    const role = new iam.Role(this, 'ArgoRolloutsRole', {
      description: 'slipway: the Argo Rollouts controller reads CloudWatch metrics for the analysis',
      assumedBy: new iam.OpenIdConnectPrincipal(provider).withConditions({
        StringEquals: new CfnJson(this, 'ArgoRolloutsSubject', { value: { [`${issuer}:sub`]: `system:serviceaccount:${ARGO_ROLLOUTS_CHART.namespace}:argo-rollouts`, [`${issuer}:aud`]: 'sts.amazonaws.com' } }),
      }),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    return role;
  }
}
