import type { ChangeEffect } from '../../../shared/index.js';

/**
 * The properties whose change makes CloudFormation replace the resource ("Update requires:
 * Replacement" in the CloudFormation resource reference), for the resource types slipway
 * synthesizes. `'*'` marks types whose every property but the listed exceptions replaces the
 * resource (a task definition is a new revision for any change).
 *
 * The CloudFormation resource specification (as `@aws-cdk/cloudformation-diff` reads it) is the
 * complete source; this table covers slipway's own templates so `synth aws --diff` needs no extra
 * package. Keep it in step when a synthesizer starts emitting a new type: an unknown type is assumed
 * to be replaced by any property change, which overstates rather than hides a replacement.
 */
export const REPLACEMENT_PROPERTIES: Readonly<Record<string, { readonly replace: readonly string[] | '*'; readonly except?: readonly string[] }>> = {
  'AWS::ApplicationAutoScaling::ScalableTarget': { replace: ['ResourceId', 'ScalableDimension', 'ServiceNamespace'] },
  'AWS::ApplicationAutoScaling::ScalingPolicy': { replace: ['PolicyName', 'ResourceId', 'ScalableDimension', 'ScalingTargetId', 'ServiceNamespace'] },
  'AWS::AppConfig::Application': { replace: [] },
  'AWS::AppConfig::ConfigurationProfile': { replace: ['ApplicationId', 'LocationUri', 'Type'] },
  'AWS::AppConfig::Deployment': { replace: '*', except: ['Tags'] },
  'AWS::AppConfig::DeploymentStrategy': { replace: ['Name', 'ReplicateTo'] },
  'AWS::AppConfig::Environment': { replace: ['ApplicationId'] },
  'AWS::AppConfig::HostedConfigurationVersion': { replace: '*' },
  'AWS::AppRunner::AutoScalingConfiguration': { replace: '*' },
  'AWS::AppRunner::ObservabilityConfiguration': { replace: '*' },
  'AWS::AppRunner::Service': { replace: ['EncryptionConfiguration', 'ServiceName', 'Tags'] },
  'AWS::AppRunner::VpcConnector': { replace: '*' },
  'AWS::CloudWatch::Alarm': { replace: ['AlarmName'] },
  'AWS::EKS::AccessEntry': { replace: ['ClusterName', 'PrincipalArn', 'Type'] },
  'AWS::EKS::Cluster': { replace: ['Name', 'RoleArn', 'EncryptionConfig', 'KubernetesNetworkConfig', 'BootstrapSelfManagedAddons', 'OutpostConfig'] },
  'AWS::EKS::FargateProfile': { replace: '*', except: ['Tags'] },
  'AWS::EKS::Nodegroup': { replace: ['AmiType', 'CapacityType', 'ClusterName', 'DiskSize', 'InstanceTypes', 'NodeRole', 'NodegroupName', 'RemoteAccess', 'Subnets'] },
  'AWS::IAM::OIDCProvider': { replace: ['Url'] },
  'AWS::Lambda::Function': { replace: ['FunctionName'] },
  'AWS::Lambda::LayerVersion': { replace: '*' },
  'AWS::SSM::Parameter': { replace: ['Name'] },
  'AWS::CloudWatch::AnomalyDetector': { replace: '*' },
  'AWS::CloudWatch::CompositeAlarm': { replace: ['AlarmName'] },
  'AWS::CloudWatch::Dashboard': { replace: ['DashboardName'] },
  'AWS::CodeDeploy::Application': { replace: ['ApplicationName', 'ComputePlatform'] },
  'AWS::CodeDeploy::DeploymentConfig': { replace: '*' },
  'AWS::CodeDeploy::DeploymentGroup': { replace: ['ApplicationName', 'DeploymentGroupName'] },
  'AWS::EC2::EIP': { replace: ['Domain', 'NetworkBorderGroup', 'TransferAddress'] },
  'AWS::EC2::FlowLog': { replace: '*', except: ['Tags'] },
  'AWS::EC2::InternetGateway': { replace: [] },
  'AWS::EC2::NatGateway': { replace: ['AllocationId', 'ConnectivityType', 'PrivateIpAddress', 'SubnetId'] },
  'AWS::EC2::Route': { replace: ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId', 'RouteTableId'] },
  'AWS::EC2::RouteTable': { replace: ['VpcId'] },
  'AWS::EC2::SecurityGroup': { replace: ['GroupDescription', 'GroupName', 'VpcId'] },
  'AWS::EC2::SecurityGroupEgress': { replace: '*', except: ['Description'] },
  'AWS::EC2::SecurityGroupIngress': { replace: '*', except: ['Description'] },
  'AWS::EC2::Subnet': { replace: ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'OutpostArn', 'VpcId'] },
  'AWS::EC2::SubnetRouteTableAssociation': { replace: ['SubnetId'] },
  'AWS::EC2::VPC': { replace: ['CidrBlock', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength'] },
  'AWS::EC2::VPCGatewayAttachment': { replace: ['VpcId'] },
  'AWS::ECR::Repository': { replace: ['EncryptionConfiguration', 'RepositoryName'] },
  'AWS::ECS::Cluster': { replace: ['ClusterName'] },
  'AWS::ECS::Service': { replace: ['Cluster', 'DeploymentController', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName'] },
  'AWS::ECS::TaskDefinition': { replace: '*', except: ['Tags'] },
  'AWS::ElasticLoadBalancingV2::Listener': { replace: ['LoadBalancerArn'] },
  'AWS::ElasticLoadBalancingV2::ListenerRule': { replace: ['ListenerArn'] },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { replace: ['Name', 'Scheme', 'Type'] },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { replace: ['IpAddressType', 'Name', 'Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId'] },
  'AWS::IAM::ManagedPolicy': { replace: ['ManagedPolicyName', 'Path'] },
  'AWS::IAM::Policy': { replace: [] },
  'AWS::IAM::Role': { replace: ['Path', 'RoleName'] },
  'AWS::KMS::Key': { replace: ['MultiRegion'] },
  'AWS::Logs::LogGroup': { replace: ['LogGroupClass', 'LogGroupName'] },
  'AWS::S3::Bucket': { replace: ['BucketName', 'ObjectLockEnabled'] },
  'AWS::S3::BucketPolicy': { replace: ['Bucket'] },
  'AWS::SNS::Subscription': { replace: ['Endpoint', 'Protocol', 'TopicArn'] },
  'AWS::SNS::Topic': { replace: ['FifoTopic', 'TopicName'] },
  'AWS::SNS::TopicPolicy': { replace: [] },
  'AWS::XRay::Group': { replace: [] },
  'AWS::XRay::SamplingRule': { replace: [] },
  'AWS::CodeBuild::Project': { replace: ['Name'] },
  'AWS::CodePipeline::Pipeline': { replace: ['Name'] },
  'AWS::CodeCommit::Repository': { replace: [] },
};

/** Resource attributes that are not properties; changing them never touches the resource itself. */
const TEMPLATE_ONLY = new Set(['DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata']);

/**
 * The effect of a change at a resource's template path (`Type`, `DependsOn`, `Properties.Port`,
 * `Properties.ContainerDefinitions.0.Image`): `replacement` when CloudFormation replaces the
 * resource for it, else `in-place`. The top-level property decides.
 */
export function replacementEffect(type: string, path: string): ChangeEffect {
  const [top, property] = path.split('.');
  if (top === 'Type') return 'replacement';
  if (top === undefined || TEMPLATE_ONLY.has(top) || top !== 'Properties' || property === undefined) return 'in-place';
  const rule = REPLACEMENT_PROPERTIES[type];
  if (rule === undefined) return 'replacement';
  if (rule.replace === '*') return rule.except?.includes(property) ? 'in-place' : 'replacement';
  return rule.replace.includes(property) ? 'replacement' : 'in-place';
}
