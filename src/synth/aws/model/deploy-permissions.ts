/**
 * What CloudFormation needs to create, update and delete each resource type slipway synthesizes: the
 * deployment role of a stack gets the actions of the types its template holds and no others. A type
 * missing here fails the synth (`deployPermissions` returns it in `unknown`) rather than a deployment
 * failing later with AccessDenied.
 */

const TAGS = (prefix: string) => [`${prefix}:TagResource`, `${prefix}:UntagResource`, `${prefix}:ListTagsForResource`];
const ELB = (...verbs: string[]) => [...verbs.map((v) => `elasticloadbalancing:${v}`), 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags'];
const EC2 = (...verbs: string[]) => [...verbs.map((v) => `ec2:${v}`), 'ec2:CreateTags', 'ec2:DeleteTags'];
const EKS = (...verbs: string[]) => [...verbs.map((v) => `eks:${v}`), 'eks:TagResource', 'eks:UntagResource', 'eks:ListTagsForResource', 'eks:DescribeUpdate'];
// CloudFormation invokes a custom resource's provider function with the stack's deployment role.
const CUSTOM_RESOURCE = ['lambda:InvokeFunction'];
const LAMBDA_VPC = ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'];
const ALARMS = ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', ...TAGS('cloudwatch')];

/** IAM actions by CloudFormation resource type (create, update, delete, and the reads CloudFormation makes). */
export const DEPLOY_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApplicationAutoScaling::ScalableTarget': [
    'application-autoscaling:RegisterScalableTarget',
    'application-autoscaling:DeregisterScalableTarget',
    'application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:DescribeScheduledActions',
    'application-autoscaling:TagResource',
    'ecs:DescribeServices',
    'ecs:UpdateService',
    'iam:CreateServiceLinkedRole',
  ],
  'AWS::ApplicationAutoScaling::ScalingPolicy': [
    'application-autoscaling:PutScalingPolicy',
    'application-autoscaling:DeleteScalingPolicy',
    'application-autoscaling:DescribeScalingPolicies',
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:DeleteAlarms',
  ],
  'AWS::AppRunner::Service': ['apprunner:CreateService', 'apprunner:UpdateService', 'apprunner:DeleteService', 'apprunner:DescribeService', ...TAGS('apprunner'), 'iam:CreateServiceLinkedRole'],
  'AWS::AppRunner::AutoScalingConfiguration': [
    'apprunner:CreateAutoScalingConfiguration',
    'apprunner:DeleteAutoScalingConfiguration',
    'apprunner:DescribeAutoScalingConfiguration',
    'apprunner:ListAutoScalingConfigurations',
    ...TAGS('apprunner'),
  ],
  'AWS::AppRunner::ObservabilityConfiguration': [
    'apprunner:CreateObservabilityConfiguration',
    'apprunner:DeleteObservabilityConfiguration',
    'apprunner:DescribeObservabilityConfiguration',
    ...TAGS('apprunner'),
  ],
  'AWS::AppRunner::VpcConnector': [
    'apprunner:CreateVpcConnector',
    'apprunner:DeleteVpcConnector',
    'apprunner:DescribeVpcConnector',
    ...TAGS('apprunner'),
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'iam:CreateServiceLinkedRole',
  ],
  'AWS::CloudWatch::Alarm': ALARMS,
  'AWS::CloudWatch::CompositeAlarm': ['cloudwatch:PutCompositeAlarm', ...ALARMS],
  'AWS::CloudWatch::AnomalyDetector': ['cloudwatch:PutAnomalyDetector', 'cloudwatch:DeleteAnomalyDetector', 'cloudwatch:DescribeAnomalyDetectors'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards', 'cloudwatch:ListDashboards'],
  'AWS::CodeDeploy::Application': ['codedeploy:CreateApplication', 'codedeploy:DeleteApplication', 'codedeploy:GetApplication', ...TAGS('codedeploy')],
  'AWS::CodeDeploy::DeploymentConfig': ['codedeploy:CreateDeploymentConfig', 'codedeploy:DeleteDeploymentConfig', 'codedeploy:GetDeploymentConfig'],
  'AWS::CodeDeploy::DeploymentGroup': [
    'codedeploy:CreateDeploymentGroup',
    'codedeploy:UpdateDeploymentGroup',
    'codedeploy:DeleteDeploymentGroup',
    'codedeploy:GetDeploymentGroup',
    ...TAGS('codedeploy'),
    'iam:PassRole',
  ],
  'AWS::EKS::AccessEntry': EKS('CreateAccessEntry', 'DescribeAccessEntry', 'UpdateAccessEntry', 'DeleteAccessEntry', 'AssociateAccessPolicy', 'DisassociateAccessPolicy', 'ListAssociatedAccessPolicies'),
  'AWS::EKS::Cluster': [
    ...EKS('CreateCluster', 'DescribeCluster', 'UpdateClusterConfig', 'UpdateClusterVersion', 'DeleteCluster', 'AssociateEncryptionConfig'),
    ...LAMBDA_VPC,
    'kms:DescribeKey',
    'kms:CreateGrant',
    'iam:PassRole',
    'iam:GetRole',
    'iam:CreateServiceLinkedRole',
  ],
  'AWS::EKS::FargateProfile': [...EKS('CreateFargateProfile', 'DescribeFargateProfile', 'DeleteFargateProfile'), 'ec2:DescribeSubnets', 'iam:PassRole', 'iam:GetRole', 'iam:CreateServiceLinkedRole'],
  'AWS::EKS::Nodegroup': [
    ...EKS('CreateNodegroup', 'DescribeNodegroup', 'UpdateNodegroupConfig', 'UpdateNodegroupVersion', 'DeleteNodegroup'),
    'ec2:DescribeSubnets',
    'iam:PassRole',
    'iam:GetRole',
    'iam:CreateServiceLinkedRole',
  ],
  'AWS::IAM::OIDCProvider': [
    'iam:CreateOpenIDConnectProvider',
    'iam:DeleteOpenIDConnectProvider',
    'iam:GetOpenIDConnectProvider',
    'iam:UpdateOpenIDConnectProviderThumbprint',
    'iam:AddClientIDToOpenIDConnectProvider',
    'iam:RemoveClientIDFromOpenIDConnectProvider',
    'iam:TagOpenIDConnectProvider',
    'iam:UntagOpenIDConnectProvider',
  ],
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:DeleteFunction',
    'lambda:TagResource',
    'lambda:UntagResource',
    'lambda:ListTags',
    ...LAMBDA_VPC,
    'iam:PassRole',
  ],
  'AWS::Lambda::LayerVersion': ['lambda:PublishLayerVersion', 'lambda:GetLayerVersion', 'lambda:DeleteLayerVersion'],
  'AWS::SSM::Parameter': ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:DeleteParameter', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
  'Custom::AWSCDK-EKS-HelmChart': CUSTOM_RESOURCE,
  'Custom::AWSCDK-EKS-KubernetesResource': CUSTOM_RESOURCE,
  'Custom::AWSCDKCfnJson': CUSTOM_RESOURCE,
  'AWS::EC2::EIP': EC2('AllocateAddress', 'ReleaseAddress', 'DisassociateAddress', 'DescribeAddresses'),
  'AWS::EC2::FlowLog': [...EC2('CreateFlowLogs', 'DeleteFlowLogs', 'DescribeFlowLogs'), 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'iam:PassRole'],
  'AWS::EC2::InternetGateway': EC2('CreateInternetGateway', 'DeleteInternetGateway', 'DescribeInternetGateways'),
  'AWS::EC2::NatGateway': EC2('CreateNatGateway', 'DeleteNatGateway', 'DescribeNatGateways'),
  'AWS::EC2::Route': EC2('CreateRoute', 'ReplaceRoute', 'DeleteRoute', 'DescribeRouteTables'),
  'AWS::EC2::RouteTable': EC2('CreateRouteTable', 'DeleteRouteTable', 'DescribeRouteTables'),
  'AWS::EC2::SecurityGroup': EC2(
    'CreateSecurityGroup',
    'DeleteSecurityGroup',
    'DescribeSecurityGroups',
    'DescribeSecurityGroupRules',
    'AuthorizeSecurityGroupIngress',
    'AuthorizeSecurityGroupEgress',
    'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress',
  ),
  'AWS::EC2::SecurityGroupEgress': EC2('AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupEgress', 'UpdateSecurityGroupRuleDescriptionsEgress', 'DescribeSecurityGroups', 'DescribeSecurityGroupRules'),
  'AWS::EC2::SecurityGroupIngress': EC2('AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'UpdateSecurityGroupRuleDescriptionsIngress', 'DescribeSecurityGroups', 'DescribeSecurityGroupRules'),
  'AWS::EC2::Subnet': EC2('CreateSubnet', 'DeleteSubnet', 'ModifySubnetAttribute', 'DescribeSubnets', 'DescribeAvailabilityZones'),
  'AWS::EC2::SubnetRouteTableAssociation': EC2('AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation', 'DescribeRouteTables'),
  'AWS::EC2::VPC': EC2('CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'DescribeVpcs', 'DescribeVpcAttribute', 'DescribeSecurityGroups', 'DescribeNetworkAcls'),
  'AWS::EC2::VPCGatewayAttachment': EC2('AttachInternetGateway', 'DetachInternetGateway', 'DescribeInternetGateways'),
  'AWS::ECS::Cluster': [
    'ecs:CreateCluster',
    'ecs:DeleteCluster',
    'ecs:DescribeClusters',
    'ecs:UpdateCluster',
    'ecs:UpdateClusterSettings',
    'ecs:PutClusterCapacityProviders',
    ...TAGS('ecs'),
    'iam:CreateServiceLinkedRole',
  ],
  'AWS::ECS::Service': [
    'ecs:CreateService',
    'ecs:UpdateService',
    'ecs:DeleteService',
    'ecs:DescribeServices',
    'ecs:DescribeServiceDeployments',
    ...TAGS('ecs'),
    'iam:CreateServiceLinkedRole',
    'iam:PassRole',
    'elasticloadbalancing:DescribeTargetGroups',
  ],
  'AWS::ECS::TaskDefinition': ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition', ...TAGS('ecs'), 'iam:GetRole', 'iam:PassRole'],
  'AWS::ElasticLoadBalancingV2::Listener': ELB('CreateListener', 'ModifyListener', 'DeleteListener', 'DescribeListeners'),
  'AWS::ElasticLoadBalancingV2::ListenerRule': ELB('CreateRule', 'ModifyRule', 'DeleteRule', 'DescribeRules', 'SetRulePriorities'),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ELB(
    'CreateLoadBalancer',
    'DeleteLoadBalancer',
    'DescribeLoadBalancers',
    'DescribeLoadBalancerAttributes',
    'ModifyLoadBalancerAttributes',
    'SetSecurityGroups',
    'SetSubnets',
  ).concat('iam:CreateServiceLinkedRole'),
  'AWS::ElasticLoadBalancingV2::TargetGroup': ELB('CreateTargetGroup', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes', 'DeleteTargetGroup', 'DescribeTargetGroups', 'DescribeTargetGroupAttributes'),
  'AWS::IAM::Policy': ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  'AWS::IAM::Role': [
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:GetRole',
    'iam:UpdateRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
  ],
  'AWS::KMS::Key': [
    'kms:CreateKey',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:PutKeyPolicy',
    'kms:EnableKey',
    'kms:DisableKey',
    'kms:UpdateKeyDescription',
    'kms:EnableKeyRotation',
    'kms:DisableKeyRotation',
    'kms:GetKeyRotationStatus',
    'kms:ScheduleKeyDeletion',
    'kms:ListResourceTags',
    'kms:TagResource',
    'kms:UntagResource',
  ],
  'AWS::Logs::LogGroup': ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:DescribeLogGroups', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', ...TAGS('logs')],
  'AWS::S3::Bucket': [
    's3:CreateBucket',
    's3:DeleteBucket',
    's3:PutBucketPolicy',
    's3:PutEncryptionConfiguration',
    's3:PutBucketPublicAccessBlock',
    's3:PutBucketOwnershipControls',
    's3:PutLifecycleConfiguration',
    's3:PutBucketVersioning',
    's3:PutBucketLogging',
    's3:PutBucketTagging',
    's3:GetBucketLocation',
    's3:GetBucketTagging',
    's3:GetBucketPolicy',
    's3:GetEncryptionConfiguration',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketOwnershipControls',
    's3:GetLifecycleConfiguration',
    's3:GetBucketVersioning',
    's3:GetBucketLogging',
  ],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  'AWS::SNS::Subscription': ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
  'AWS::XRay::Group': ['xray:CreateGroup', 'xray:UpdateGroup', 'xray:DeleteGroup', 'xray:GetGroup', 'xray:TagResource', 'xray:UntagResource'],
  'AWS::XRay::SamplingRule': ['xray:CreateSamplingRule', 'xray:UpdateSamplingRule', 'xray:DeleteSamplingRule', 'xray:GetSamplingRules', 'xray:TagResource', 'xray:UntagResource'],
  'AWS::AppConfig::Application': ['appconfig:CreateApplication', 'appconfig:UpdateApplication', 'appconfig:DeleteApplication', 'appconfig:GetApplication', ...TAGS('appconfig')],
  'AWS::AppConfig::ConfigurationProfile': ['appconfig:CreateConfigurationProfile', 'appconfig:UpdateConfigurationProfile', 'appconfig:DeleteConfigurationProfile', 'appconfig:GetConfigurationProfile', ...TAGS('appconfig')],
  'AWS::AppConfig::Deployment': ['appconfig:StartDeployment', 'appconfig:GetDeployment', 'appconfig:StopDeployment', ...TAGS('appconfig')],
  'AWS::AppConfig::DeploymentStrategy': ['appconfig:CreateDeploymentStrategy', 'appconfig:UpdateDeploymentStrategy', 'appconfig:DeleteDeploymentStrategy', 'appconfig:GetDeploymentStrategy', ...TAGS('appconfig')],
  // Monitors name the role AppConfig assumes to read the alarms, which the deployer passes.
  'AWS::AppConfig::Environment': ['appconfig:CreateEnvironment', 'appconfig:UpdateEnvironment', 'appconfig:DeleteEnvironment', 'appconfig:GetEnvironment', ...TAGS('appconfig'), 'iam:PassRole'],
  'AWS::AppConfig::HostedConfigurationVersion': ['appconfig:CreateHostedConfigurationVersion', 'appconfig:DeleteHostedConfigurationVersion', 'appconfig:GetHostedConfigurationVersion'],
  'AWS::ECR::Repository': [
    'ecr:CreateRepository',
    'ecr:DeleteRepository',
    'ecr:DescribeRepositories',
    'ecr:PutLifecyclePolicy',
    'ecr:DeleteLifecyclePolicy',
    'ecr:GetLifecyclePolicy',
    'ecr:PutImageScanningConfiguration',
    'ecr:PutImageTagMutability',
    'ecr:SetRepositoryPolicy',
    'ecr:DeleteRepositoryPolicy',
    ...TAGS('ecr'),
  ],
  'AWS::SNS::Topic': ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListSubscriptionsByTopic', ...TAGS('sns')],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
};

/** The permissions a stack's deployment role needs for a set of resource types. */
export interface DeployPermissions {
  /** IAM actions outside `iam:`, sorted and unique. */
  readonly actions: readonly string[];
  /** `iam:` actions (scoped to the stack's own roles by the caller), sorted and unique. */
  readonly iamActions: readonly string[];
  /** Resource types with no entry in {@link DEPLOY_PERMISSIONS}. */
  readonly unknown: readonly string[];
}

/** The IAM actions CloudFormation needs to deploy resources of the given types. */
export function deployPermissions(types: Iterable<string>): DeployPermissions {
  const all = new Set<string>();
  const unknown = new Set<string>();
  for (const type of types) {
    const actions = DEPLOY_PERMISSIONS[type];
    if (actions === undefined) unknown.add(type);
    else for (const a of actions) all.add(a);
  }
  const sorted = [...all].sort();
  return { actions: sorted.filter((a) => !a.startsWith('iam:')), iamActions: sorted.filter((a) => a.startsWith('iam:')), unknown: [...unknown].sort() };
}
