import type { aws_codepipeline as codepipeline } from 'aws-cdk-lib';
import {
  Aws,
  CfnParameter,
  CfnResource,
  CfnCapabilities,
  type Duration,
  type Stack,
  aws_codepipeline_actions as actions,
  aws_iam as iam,
  type aws_s3 as s3,
  type aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { deployPermissions } from './model/deploy-permissions.js';
import { limitName } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { acknowledgeDeploymentRole } from './nag-suppressions.js';

/** The change set every pipeline run creates, and executes, per stack. */
export const CHANGE_SET_NAME = 'slipway-pipeline';

/** Services whose service-linked roles CloudFormation may create while deploying slipway's resources. */
const SERVICE_LINKED_ROLES = [
  'ecs.amazonaws.com',
  'ecs.application-autoscaling.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'apprunner.amazonaws.com',
  'eks.amazonaws.com',
  'eks-nodegroup.amazonaws.com',
  'eks-fargate.amazonaws.com',
];

/** Resource types whose code CloudFormation hands to Lambda from the CDK assets bucket. */
const CODE_FROM_ASSETS = ['AWS::Lambda::Function', 'AWS::Lambda::LayerVersion'];

/** Options of {@link SlipwayStackChangeSet}. */
export interface SlipwayStackChangeSetProps {
  /** The stack the change set deploys (an environment stack or the shared stack). */
  readonly target: Stack;
  /** The synth build's output: the cloud assembly with the target's template. */
  readonly assembly: codepipeline.Artifact;
  /** The pipeline's artifact bucket, which CloudFormation reads the template from. */
  readonly artifactBucket: s3.IBucket;
  /** Action names start with it (`staging` → `staging-changes`, `staging-execute`). */
  readonly name: string;
  /** A manual approval between creating and executing the change set. @default none */
  readonly approval?: { readonly topic: sns.ITopic; readonly additionalInformation: string; readonly timeout: Duration };
  /** Run order of the first action; the others follow one by one. */
  readonly runOrder: number;
  /** Model path that warnings about the target name. */
  readonly modelPath: string;
  readonly warnings: SynthWarnings;
}

/**
 * A stack deployed through a CloudFormation change set, as CDK Pipelines does: create (or replace) the
 * change set from the synthesized template, optionally wait for a manual approval (the reviewer sees the
 * change set in the console), then execute it. CloudFormation deploys with a role of its own that holds
 * only the actions of the resource types the template declares, and IAM actions only on the stack's own
 * roles (CloudFormation names them `<stack name>-…`).
 */
export class SlipwayStackChangeSet extends Construct {
  /** The role CloudFormation assumes to deploy the target stack. */
  readonly deploymentRole: iam.Role;
  /** Create, [approve,] execute — in this order, with consecutive run orders from `runOrder`. */
  readonly actions: readonly codepipeline.IAction[];
  /** The run order of the execute action. */
  readonly lastRunOrder: number;

  constructor(scope: Construct, id: string, props: SlipwayStackChangeSetProps) {
    super(scope, id);
    const { target } = props;
    const resources = target.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
    const permissions = deployPermissions(resources.map((r) => r.cfnResourceType));
    if (permissions.unknown.length > 0) {
      throw new Error(`${target.stackName}: no deployment permissions known for ${permissions.unknown.join(', ')} (add them to DEPLOY_PERMISSIONS)`);
    }
    for (const p of target.node.findAll().filter((c): c is CfnParameter => c instanceof CfnParameter)) {
      if (p.default === undefined) props.warnings.add(props.modelPath, `the change set of ${target.stackName} passes no value for its parameter ${p.node.id}: give it a default or deploy that stack by hand`);
    }

    this.deploymentRole = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      description: `slipway: CloudFormation deploys ${target.stackName}`,
    });
    const role = this.deploymentRole;
    role.addToPolicy(new iam.PolicyStatement({ actions: [...permissions.actions], resources: ['*'] }));
    const oidc = permissions.iamActions.filter((a) => a.endsWith('OpenIDConnectProvider'));
    const ownRoles = permissions.iamActions.filter((a) => a !== 'iam:CreateServiceLinkedRole' && !oidc.includes(a));
    if (ownRoles.length > 0) {
      role.addToPolicy(new iam.PolicyStatement({ actions: ownRoles, resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${target.stackName}-*`] }));
    }
    if (permissions.iamActions.includes('iam:CreateServiceLinkedRole')) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/*`],
          conditions: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES } },
        }),
      );
    }
    if (oidc.length > 0) {
      // An EKS cluster's OIDC provider is named after its issuer, oidc.eks.<region>.amazonaws.com/id/<generated id>.
      role.addToPolicy(new iam.PolicyStatement({ actions: oidc, resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:oidc-provider/oidc.eks.${Aws.REGION}.${Aws.URL_SUFFIX}/id/*`] }));
    }
    if (resources.some((r) => CODE_FROM_ASSETS.includes(r.cfnResourceType))) {
      // Lambda reads function and layer code from the bootstrap assets bucket as the caller.
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::cdk-hnb659fds-assets-${Aws.ACCOUNT_ID}-${Aws.REGION}/*`] }));
    }
    props.artifactBucket.grantRead(role);
    acknowledgeDeploymentRole(role, target.stackName);

    // roleName is a lazy token CDK fills only for cross-environment references: resolve it to see.
    const named = resources.some((r) => r instanceof iam.CfnRole && target.resolve(r.roleName) !== undefined);
    const stackName = target.stackName;
    let runOrder = props.runOrder;
    const list: codepipeline.IAction[] = [
      new actions.CloudFormationCreateReplaceChangeSetAction({
        actionName: limitName(`${props.name}-changes`, 100),
        stackName,
        changeSetName: CHANGE_SET_NAME,
        templatePath: props.assembly.atPath(target.templateFile),
        adminPermissions: false,
        deploymentRole: role,
        cfnCapabilities: [named ? CfnCapabilities.NAMED_IAM : CfnCapabilities.ANONYMOUS_IAM],
        runOrder,
      }),
    ];
    if (props.approval !== undefined) {
      list.push(
        new actions.ManualApprovalAction({
          actionName: limitName(`${props.name}-approve`, 100),
          notificationTopic: props.approval.topic,
          additionalInformation: props.approval.additionalInformation,
          timeout: props.approval.timeout,
          runOrder: ++runOrder,
        }),
      );
    }
    list.push(new actions.CloudFormationExecuteChangeSetAction({ actionName: limitName(`${props.name}-execute`, 100), stackName, changeSetName: CHANGE_SET_NAME, runOrder: ++runOrder }));
    this.actions = list;
    this.lastRunOrder = runOrder;
  }
}
