import {
  CfnParameter,
  Token,
  region_info as regionInfo,
  Duration,
  RemovalPolicy,
  Stack,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CONTAINER_PORT, clusterName } from './model/names.js';
import { acknowledgeLogBucket } from './nag-suppressions.js';

/** How an environment gets its VPC. */
export type VpcSource =
  /** A new VPC over two availability zones (public and private subnets, NAT, flow logs). */
  | 'create'
  /** An existing VPC, given at deploy time through stack parameters (VPC id, two AZs, two public and two private subnets). */
  | 'import';

/** Options of {@link SlipwayNetwork}. */
export interface SlipwayNetworkProps {
  readonly app: string;
  readonly environment: string;
  /** @default 'create' */
  readonly vpc?: VpcSource;
  /** Availability zones of a new VPC; explicit so that no account lookup is needed. @default the first two of the region (`Fn::GetAZs`) */
  readonly availabilityZones?: readonly string[];
  /** NAT gateways of a new VPC. @default 1 */
  readonly natGateways?: number;
  /** Create the internet-facing ALB (some ECS service has an ingress path). */
  readonly ingress: boolean;
  /** Create the internal ALB (some ECS service has no ingress). */
  readonly internal: boolean;
  /** Port of the test listener, reaching the new revision during blue/green. @default no test listener */
  readonly testPort?: number;
  /** ACM certificate: listeners become HTTPS (port 80 redirects to 443). @default HTTP on port 80 */
  readonly certificateArn?: string;
  /** Retention of the logs the environment keeps. */
  readonly logRetention: logs.RetentionDays;
  /** Create the ECS cluster (an EKS environment has a cluster of its own). @default true */
  readonly ecsCluster?: boolean;
}

/** One load balancer and the security group its listeners admit traffic through. */
export interface LoadBalancerRef {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * The ground an environment's services stand on: a KMS key for its logs, the VPC, the Fargate cluster
 * with Container Insights, the ALB access-log bucket, the internet-facing ALB with its production and test
 * listeners, the internal ALB through which services reach each other (`${services.<name>.url}`), and the
 * tasks' security group (reachable from the load balancers only, on the container port).
 */
export class SlipwayNetwork extends Construct {
  /** Encrypts the environment's log groups. */
  readonly key: kms.Key;
  readonly vpc: ec2.IVpc;
  /** The ECS cluster, unless `ecsCluster` is false. */
  readonly cluster: ecs.Cluster | undefined;
  /** Security group of every task. */
  readonly tasksSecurityGroup: ec2.SecurityGroup;
  /** The internet-facing ALB, when some service has an ingress path. */
  readonly ingress: LoadBalancerRef | undefined;
  /** The production listener of the ingress ALB (80, or 443 with a certificate). */
  readonly productionListener: elbv2.ApplicationListener | undefined;
  /** The test listener of the ingress ALB (the environment's `testPort`). */
  readonly testListener: elbv2.ApplicationListener | undefined;
  /** The internal ALB, when some service has no ingress path. */
  readonly internal: LoadBalancerRef | undefined;
  /** Scheme of the ingress ALB: `https` with a certificate, else `http` (the internal ALB is always `http`). */
  readonly scheme: 'http' | 'https';
  private readonly certificateArn: string | undefined;

  constructor(scope: Construct, id: string, props: SlipwayNetworkProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.certificateArn = props.certificateArn;
    this.scheme = props.certificateArn === undefined ? 'http' : 'https';
    this.key = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: `slipway ${props.app}/${props.environment}: logs`, removalPolicy: RemovalPolicy.RETAIN });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
    this.vpc = props.vpc === 'import' ? this.importVpc() : this.createVpc(props);
    this.cluster =
      props.ecsCluster === false
        ? undefined
        : new ecs.Cluster(this, 'Cluster', {
            vpc: this.vpc,
            clusterName: clusterName(props.app, props.environment),
            containerInsightsV2: ecs.ContainerInsights.ENABLED,
          });
    this.tasksSecurityGroup = new ec2.SecurityGroup(this, 'TasksSecurityGroup', { vpc: this.vpc, description: 'slipway tasks: reachable from the load balancers only', allowAllOutbound: true });
    const accessLogs = props.ingress || props.internal ? this.accessLogBucket() : undefined;

    if (props.ingress && accessLogs) {
      const sg = new ec2.SecurityGroup(this, 'IngressSecurityGroup', { vpc: this.vpc, description: 'slipway ingress ALB', allowAllOutbound: false });
      const alb = new elbv2.ApplicationLoadBalancer(this, 'Ingress', { vpc: this.vpc, internetFacing: true, securityGroup: sg, dropInvalidHeaderFields: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
      enableAccessLogs(alb, accessLogs, 'ingress');
      sg.addEgressRule(this.tasksSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'to the tasks');
      this.tasksSecurityGroup.addIngressRule(sg, ec2.Port.tcp(CONTAINER_PORT), 'from the ingress ALB');
      this.ingress = { loadBalancer: alb, securityGroup: sg };
      this.productionListener = this.addListener(alb, 'Production', this.certificateArn === undefined ? 80 : 443, ec2.Peer.anyIpv4());
      if (this.certificateArn !== undefined) {
        sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
        alb.addRedirect({ sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: 443, targetProtocol: elbv2.ApplicationProtocol.HTTPS });
      }
      // The test listener serves the new revision before it takes production traffic: only from inside the VPC.
      this.testListener = props.testPort === undefined ? undefined : this.addListener(alb, 'Test', props.testPort, ec2.Peer.ipv4(this.vpc.vpcCidrBlock));
    }
    if (props.internal && accessLogs) {
      const sg = new ec2.SecurityGroup(this, 'InternalSecurityGroup', { vpc: this.vpc, description: 'slipway service-to-service ALB', allowAllOutbound: false });
      const alb = new elbv2.ApplicationLoadBalancer(this, 'Internal', { vpc: this.vpc, internetFacing: false, securityGroup: sg, dropInvalidHeaderFields: true, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
      enableAccessLogs(alb, accessLogs, 'internal');
      sg.addEgressRule(this.tasksSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'to the tasks');
      this.tasksSecurityGroup.addIngressRule(sg, ec2.Port.tcp(CONTAINER_PORT), 'from the internal ALB');
      this.internal = { loadBalancer: alb, securityGroup: sg };
    }
  }

  /**
   * Adds a listener of the ALB `lb` on `port`, open to `peer`; its default answer is 404 until services
   * attach. Listeners of the ingress ALB use TLS when there is a certificate; internal ones stay HTTP
   * inside the VPC (the certificate names the public host, not the internal ALB).
   */
  addListener(lb: elbv2.ApplicationLoadBalancer, id: string, port: number, peer: ec2.IPeer): elbv2.ApplicationListener {
    const https = this.certificateArn !== undefined && lb === this.ingress?.loadBalancer;
    const listener = lb.addListener(id, {
      port,
      protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      certificates: https ? [elbv2.ListenerCertificate.fromArn(this.certificateArn!)] : undefined,
      sslPolicy: https ? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no service at this path' }),
    });
    const sg = lb === this.ingress?.loadBalancer ? this.ingress.securityGroup : this.internal?.securityGroup;
    sg?.addIngressRule(peer, ec2.Port.tcp(port), `listener ${id}`);
    return listener;
  }

  private createVpc(props: SlipwayNetworkProps): ec2.IVpc {
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
    return new ec2.Vpc(this, 'Vpc', {
      ...(props.availabilityZones === undefined ? { maxAzs: 2 } : { availabilityZones: [...props.availabilityZones] }),
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
    });
  }

  private importVpc(): ec2.IVpc {
    const param = (name: string, type: string, description: string) => new CfnParameter(Stack.of(this), name, { type, description }).valueAsString;
    return ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: param('VpcId', 'AWS::EC2::VPC::Id', 'the existing VPC'),
      vpcCidrBlock: param('VpcCidr', 'String', 'CIDR block of the existing VPC (the test listener admits it)'),
      availabilityZones: [param('AvailabilityZone1', 'AWS::EC2::AvailabilityZone::Name', 'first AZ'), param('AvailabilityZone2', 'AWS::EC2::AvailabilityZone::Name', 'second AZ')],
      publicSubnetIds: [param('PublicSubnet1', 'AWS::EC2::Subnet::Id', 'public subnet in the first AZ'), param('PublicSubnet2', 'AWS::EC2::Subnet::Id', 'public subnet in the second AZ')],
      privateSubnetIds: [param('PrivateSubnet1', 'AWS::EC2::Subnet::Id', 'private subnet (with egress) in the first AZ'), param('PrivateSubnet2', 'AWS::EC2::Subnet::Id', 'private subnet (with egress) in the second AZ')],
    });
  }

  /** ALB access logs: SSE-S3 (ALB cannot write to KMS-encrypted buckets), TLS only, no public access. */
  private accessLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    acknowledgeLogBucket(bucket);
    return bucket;
  }
}

/**
 * ALB access logs. With a known region CDK grants the region's ELB principal; an environment-agnostic
 * stack looks the ELB account up in a region mapping (`Stack.regionalFact`, offline) and also admits the
 * log-delivery service principal that newer regions use.
 */
function enableAccessLogs(alb: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket, prefix: string): void {
  const stack = Stack.of(alb);
  if (!Token.isUnresolved(stack.region)) {
    alb.logAccessLogs(bucket, prefix);
    return;
  }
  alb.setAttribute('access_logs.s3.enabled', 'true');
  alb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  alb.setAttribute('access_logs.s3.prefix', prefix);
  const elbAccount = stack.regionalFact(regionInfo.FactName.ELBV2_ACCOUNT, stack.account);
  const policy = bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      principals: [new iam.AccountPrincipal(elbAccount), new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
    }),
  );
  // The load balancer checks that it may write before it turns logging on.
  if (policy.policyDependable !== undefined) alb.node.addDependency(policy.policyDependable);
}
