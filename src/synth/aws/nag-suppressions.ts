import { type CfnElement, Stack, Token, Validations, type Acknowledgment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions) findings slipway acknowledges, each with the reason it is by design. cdk-nag 3
 * acknowledges each finding by its full id (`AwsSolutions-IAM5[Resource::…]`), so wildcard findings that
 * name a resource are acknowledged on that resource's construct.
 */
const ENVIRONMENT: Acknowledgment[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* (the ADOT collector) and ECR GetAuthorizationToken (image pulls) have no resource-level permissions',
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
    reason: 'CodeDeploy blue/green for ECS needs its service role; the AWS-managed policy tracks the ECS and ELB APIs CodeDeploy calls',
  },
  {
    id: 'AwsSolutions-ECS2',
    reason: 'only non-secret configuration is plain environment (service URLs, the port, OpenTelemetry settings, the collector config); model secrets are Secrets Manager references',
  },
  { id: 'AwsSolutions-EC23', reason: 'the ingress ALB is the public entry of the environment: its production listener is open to the internet on 80/443 by design' },
];

/** cdk-nag acknowledgments of an environment stack, each with its reason. */
export function addEnvironmentSuppressions(stack: Stack): void {
  Validations.of(stack).acknowledge(...ENVIRONMENT);
}

const MANAGED = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;

/** The AWS Load Balancer Controller's published IAM policy scopes its write actions by these ARN patterns (and by the `elbv2.k8s.aws/cluster` tag). */
const ALB_CONTROLLER_RESOURCES = [
  'ec2:*:*:security-group/*',
  'elasticloadbalancing:*:*:targetgroup/*/*',
  'elasticloadbalancing:*:*:loadbalancer/net/*/*',
  'elasticloadbalancing:*:*:loadbalancer/app/*/*',
  'elasticloadbalancing:*:*:listener/net/*/*/*',
  'elasticloadbalancing:*:*:listener/app/*/*/*',
  'elasticloadbalancing:*:*:listener-rule/net/*/*/*',
  'elasticloadbalancing:*:*:listener-rule/app/*/*/*',
];

const EKS_ENVIRONMENT: Acknowledgment[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/GetSampling* (the collector), CloudWatch GetMetricData (Argo Rollouts analysis) and the Describe*/Get* reads of the AWS Load Balancer Controller published policy have no resource-level permissions',
  },
  ...ALB_CONTROLLER_RESOURCES.map((r) => ({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${r}]`,
    reason: 'the AWS Load Balancer Controller published policy: it creates and tags load balancers, target groups, listeners and security groups named at run time, each write conditioned on the elbv2.k8s.aws/cluster tag',
  })),
  { id: MANAGED('AmazonEKSClusterPolicy'), reason: 'the EKS cluster service role: EKS documents this AWS-managed policy as the role it requires' },
  { id: MANAGED('AmazonEKSWorkerNodePolicy'), reason: 'the managed node group role: EKS requires this AWS-managed policy for nodes to join the cluster' },
  { id: MANAGED('AmazonEKSFargatePodExecutionRolePolicy'), reason: 'the Fargate profile pod execution role: EKS requires this AWS-managed policy to pull images and run pods on Fargate' },
  { id: MANAGED('AmazonEKS_CNI_Policy'), reason: 'the VPC CNI on the nodes assigns pod IP addresses through this AWS-managed policy, which tracks the ENI APIs' },
  { id: MANAGED('AmazonEC2ContainerRegistryReadOnly'), reason: 'nodes pull the service images from ECR and the kubectl provider pulls OCI Helm charts; read-only' },
  { id: MANAGED('service-role/AWSLambdaBasicExecutionRole'), reason: 'the CDK kubectl provider functions write their own CloudWatch logs' },
  { id: MANAGED('service-role/AWSLambdaVPCAccessExecutionRole'), reason: 'the CDK kubectl provider runs in the VPC to reach the private cluster endpoint, which needs its ENIs' },
  {
    id: 'AwsSolutions-IAM4[Policy::{"Fn::If":["EksClusterKubectlProviderHandlerHasEcrPublicC426D1A5",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
    reason: 'the CDK kubectl provider may pull Helm charts from ECR Public, read-only, in partitions that have it',
  },
  { id: 'AwsSolutions-L1', reason: 'the kubectl provider runtime is pinned by aws-cdk-lib to match the kubectl layer it runs; slipway does not choose it' },
];

/** cdk-nag acknowledgments of an EKS environment stack, each with its reason. */
export function addEksEnvironmentSuppressions(stack: Stack, kubectlHandler: IConstruct | undefined, secretsArnPattern: string | undefined): void {
  Validations.of(stack).acknowledge(...EKS_ENVIRONMENT);
  if (kubectlHandler !== undefined) {
    Validations.of(stack).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${logicalId(kubectlHandler)}.Arn>:*]`, reason: 'the CDK provider framework invokes the kubectl handler by version-qualified ARN' });
  }
  if (secretsArnPattern !== undefined) {
    Validations.of(stack).acknowledge({ id: `AwsSolutions-IAM5[Resource::${secretsArnPattern}]`, reason: 'the SecretStore reads the environment secrets <app>/<env>/*; Secrets Manager appends a random suffix to each name' });
  }
}

/** Acknowledges the network-interface wildcard CDK grants a CodeBuild project that runs in a VPC. */
export function acknowledgeVpcCodeBuildProject(project: IConstruct): void {
  // CDK writes this ARN with the pseudo parameters even in a stack with a fixed account and region.
  Validations.of(project).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
    reason: 'CodeBuild attaches a network interface per build in the VPC (to reach the private EKS endpoint); their ids are generated',
  });
}

/** Acknowledges S1 on a bucket that receives access logs (logging it would need yet another bucket). */
export function acknowledgeLogBucket(bucket: IConstruct): void {
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'this bucket receives access logs itself; logging its own access would need a further bucket without adding an audit trail' });
}

/** cdk-nag acknowledgments of the pipeline stack's grants to the artifact bucket and key, each with its reason. */
export function addPipelineSuppressions(stack: Stack, artifactBucket: IConstruct): void {
  const reason = 'CDK grant for pipeline artifacts: object-level actions on the private, KMS-encrypted artifact bucket and its key only';
  Validations.of(stack).acknowledge(
    ...['s3:List*', 's3:GetObject*', 's3:GetBucket*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason })),
    { id: `AwsSolutions-IAM5[Resource::<${logicalId(artifactBucket)}.Arn>/*]`, reason: 'pipeline artifacts are objects of the artifact bucket, named by execution' },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ECR GetAuthorizationToken, ECS DescribeTaskDefinition (the builds writing taskdef-<env>.json) and the EC2 Describe* calls of builds in a VPC have no resource-level permissions',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${where(stack).account}-${where(stack).region}/*]`,
      reason: 'image builds read the generated Dockerfile asset from the CDK assets bucket, whose object keys are content hashes',
    },
  );
}

/** Acknowledges the log-group and report-group wildcards CDK grants every CodeBuild project. */
export function acknowledgeCodeBuildProject(project: IConstruct): void {
  const id = logicalId(project);
  const { region, account } = where(project);
  Validations.of(project).acknowledge(
    { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/<${id}>:*]`, reason: 'CodeBuild writes its log streams (named per build) into the project log group' },
    { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/<${id}>-*]`, reason: 'CodeBuild creates the project report groups (named per report) for test reports' },
  );
}

/** Region and account as cdk-nag writes them in finding ids: the literal value, or the pseudo parameter. */
function where(construct: IConstruct): { region: string; account: string } {
  const stack = Stack.of(construct);
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}

function logicalId(construct: IConstruct): string {
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}

/** Acknowledges the wildcards of a stack's CloudFormation deployment role, each with its reason. */
export function acknowledgeDeploymentRole(role: IConstruct, stackName: string): void {
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudFormation creates the resources with generated names and ids unknown before creation; the actions are limited to the resource types the template declares',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${stackName}-*]`,
      reason: 'IAM actions reach only the roles of this stack, which CloudFormation names after the stack',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/*]',
      reason: 'service-linked roles of ECS, its auto scaling, Elastic Load Balancing, App Runner and EKS only (condition on iam:AWSServiceName); AWS names them',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:oidc-provider/oidc.eks.<AWS::Region>.<AWS::URLSuffix>/id/*]',
      reason: 'the OIDC provider of an EKS cluster is named after its issuer, whose id EKS generates when it creates the cluster',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      reason: 'Lambda reads function and layer code (the kubectl provider) from the CDK assets bucket as CloudFormation; object keys are content hashes',
    },
  );
}

/** Acknowledges the stack-id wildcard CDK grants a pipeline's CloudFormation actions. */
export function acknowledgeChangeSetActions(pipeline: IConstruct, stackNames: readonly string[]): void {
  const { region, account } = where(pipeline);
  Validations.of(pipeline).acknowledge(
    ...stackNames.map((name) => ({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${region}:${account}:stack/${name}/*]`,
      reason: 'CloudFormation stack ARNs end with a generated id; the change-set actions reach this one stack by name',
    })),
  );
}
