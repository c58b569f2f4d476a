import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveApp } from '../../shared/index.js';
import { SlipwayApp, defaultSynthCommand } from './slipway-app.js';

interface ActionJson {
  readonly Name: string;
  readonly RunOrder: number;
  readonly ActionTypeId: { readonly Provider: string };
  readonly Configuration?: Record<string, unknown>;
  readonly InputArtifacts?: readonly { readonly Name: string }[];
  readonly OutputArtifacts?: readonly { readonly Name: string }[];
}
interface StageJson {
  readonly Name: string;
  readonly Actions: readonly ActionJson[];
}
interface Statement {
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
}

// Two environments deployed in one model stage each; only production requires an approval.
const app = resolveApp({
  name: 'cs',
  services: { web: { path: 'web', start: 'node server.js', ingress: { pathPrefix: '/' } } },
  environments: {
    staging: { ingressPort: 8081, strategy: 'CodeDeployDefault.AllAtOnce' },
    production: { ingressPort: 8080, strategy: 'CodeDeployDefault.ECSCanary10Percent5Minutes', requiresApproval: true },
  },
  pipeline: {
    stages: [
      { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }, { type: 'analyze' }] },
      { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }, { type: 'loadtest', runOrder: 2, target: { environment: 'staging' }, thresholds: { p99Ms: 200 } }] },
      { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
    ],
  },
});

let slipway: SlipwayApp;
let stages: StageJson[];
let pipeline: Template;

/** The stage's actions as `name provider` in run order (ties by name), so order is part of what is compared. */
const sequence = (stage: string): string[] =>
  [...(stages.find((s) => s.Name === stage)?.Actions ?? [])]
    .sort((a, b) => a.RunOrder - b.RunOrder || a.Name.localeCompare(b.Name))
    .map((a) => `${a.RunOrder} ${a.Name} ${a.ActionTypeId.Provider}${typeof a.Configuration?.ActionMode === 'string' ? ` ${a.Configuration.ActionMode}` : ''}`);

beforeAll(() => {
  const cdkApp = new App();
  slipway = new SlipwayApp(cdkApp, 'Slipway', { app, account: '123456789012', region: 'eu-west-1' });
  pipeline = Template.fromStack(slipway.pipeline!);
  const [resource] = Object.values(pipeline.findResources('AWS::CodePipeline::Pipeline')) as [{ Properties: { Stages: StageJson[] } }];
  stages = resource.Properties.Stages;
}, 60_000);

describe('SlipwayPipeline: stacks through CloudFormation change sets', () => {
  it('synthesizes the assembly right after the source, with the same account and region', () => {
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Synth', 'Build', 'Images', 'Staging', 'Production']);
    const [synth] = stages[1]!.Actions;
    expect(synth?.OutputArtifacts).toEqual([{ Name: 'Assembly' }]);
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: Match.objectLike({ BuildSpec: Match.serializedJson(Match.objectLike({ phases: Match.objectLike({ build: { commands: ["npx slipway synth aws --out cdk.out --account '123456789012' --region 'eu-west-1'"] } }), artifacts: { 'base-directory': 'cdk.out', files: ['**/*'] } })) }),
    });
  });

  it('deploys the shared stack before the images are pushed to its repositories', () => {
    expect(sequence('Images')).toEqual(['1 shared-changes CloudFormation CHANGE_SET_REPLACE', '2 shared-execute CloudFormation CHANGE_SET_EXECUTE', '3 image-web CodeBuild']);
  });

  it('creates the change set, then executes it, then deploys the services', () => {
    expect(sequence('Staging')).toEqual(['1 staging-changes CloudFormation CHANGE_SET_REPLACE', '2 staging-execute CloudFormation CHANGE_SET_EXECUTE', '3 deploy-staging-web ECS']);
  });

  it('puts the approval between creating and executing the change set when the environment requires one', () => {
    expect(sequence('Production')).toEqual([
      '1 production-changes CloudFormation CHANGE_SET_REPLACE',
      '2 production-approve Manual',
      '3 production-execute CloudFormation CHANGE_SET_EXECUTE',
      '4 taskdef-production-web CodeBuild',
      '5 deploy-production-web CodeDeployToECS',
    ]);
    const approve = stages.find((s) => s.Name === 'Production')!.Actions.find((a) => a.Name === 'production-approve')!;
    expect(approve.Configuration).toMatchObject({ NotificationArn: expect.anything(), CustomData: expect.stringContaining('cs-production') });
  });

  it('deploys a CodeDeploy service with the task definition its change set registered, written after the execute action', () => {
    const production = stages.find((s) => s.Name === 'Production')!.Actions;
    const taskdef = production.find((a) => a.Name === 'taskdef-production-web')!;
    const deploy = production.find((a) => a.Name === 'deploy-production-web')!;
    expect(taskdef.OutputArtifacts).toEqual([{ Name: 'TaskDef_Production_Web' }]);
    expect(deploy.Configuration).toMatchObject({ TaskDefinitionTemplateArtifact: 'TaskDef_Production_Web', TaskDefinitionTemplatePath: 'taskdef-production.json', AppSpecTemplateArtifact: 'Image_Web' });
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ EnvironmentVariables: Match.arrayWith([{ Name: 'TASK_FAMILY', Type: 'PLAINTEXT', Value: 'cs-production-web' }, { Name: 'ENVIRONMENT', Type: 'PLAINTEXT', Value: 'production' }]) }),
    });
  });

  it('creates each change set from the stack template in the synthesized assembly, with IAM capabilities', () => {
    const production = slipway.environments.production!;
    const create = stages.find((s) => s.Name === 'Production')!.Actions.find((a) => a.Name === 'production-changes')!;
    expect(create.InputArtifacts).toEqual([{ Name: 'Assembly' }]);
    expect(create.Configuration).toMatchObject({ StackName: 'cs-production', ChangeSetName: 'slipway-pipeline', TemplatePath: `Assembly::${production.templateFile}`, Capabilities: 'CAPABILITY_IAM' });
    const execute = stages.find((s) => s.Name === 'Production')!.Actions.find((a) => a.Name === 'production-execute')!;
    expect(execute.Configuration).toMatchObject({ StackName: 'cs-production', ChangeSetName: 'slipway-pipeline' });
  });

  it('lets CloudFormation deploy with a role limited to the template resource types and the stack own roles', () => {
    const role = slipway.pipeline!.changeSets['cs-staging']!.deploymentRole;
    const policies = Object.values(pipeline.findResources('AWS::IAM::Policy')) as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } }[];
    const ref = { Ref: slipway.pipeline!.getLogicalId(role.node.defaultChild as never) };
    const statements = policies.filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref])).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toContain('ecs:CreateService');
    expect(actions).toContain('elasticloadbalancing:CreateListener');
    // No wildcard action, nothing the staging template does not declare (it has no CodeDeploy: ECS rolling).
    expect(actions.filter((a) => a.includes('*') && !a.startsWith('s3:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('codedeploy:') || a.startsWith('apprunner:') || a.startsWith('ecr:'))).toEqual([]);
    for (const s of statements.filter((x) => [x.Action].flat().some((a) => a.startsWith('iam:') && a !== 'iam:CreateServiceLinkedRole'))) {
      expect(JSON.stringify(s.Resource)).toContain(':role/cs-staging-*');
    }
    pipeline.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudformation.amazonaws.com' } })] }, Description: 'slipway: CloudFormation deploys cs-staging' });
  });

  it('makes no CodePipeline action of a load test or a static analysis, and warns that they run only locally', () => {
    const names = stages.flatMap((s) => s.Actions.map((a) => a.Name));
    expect(names.filter((n) => /loadtest|analyze/i.test(n))).toEqual([]);
    expect(slipway.warnings.filter((w) => /load tests run only|static analysis runs only/.test(w))).toEqual([
      expect.stringMatching(/^pipeline\.stages\.Build\.actions\.analyze: static analysis runs only in the local pipeline/),
      expect.stringMatching(/^pipeline\.stages\.Staging\.actions\.loadtest: load tests run only in the local pipeline/),
    ]);
  });

  it('no longer warns that requiresApproval has no AWS counterpart', () => {
    expect(slipway.warnings.filter((w) => w.includes('requiresApproval'))).toEqual([]);
  });
});

describe('defaultSynthCommand', () => {
  it('passes the synth options to the build as single-quoted words, a quote inside escaped', () => {
    expect(defaultSynthCommand({})).toBe('npx slipway synth aws --out cdk.out');
    expect(defaultSynthCommand({ region: 'eu-west-1', certificateArn: "arn:x'; rm -rf /" })).toBe("npx slipway synth aws --out cdk.out --region 'eu-west-1' --certificate-arn 'arn:x'\\''; rm -rf /'");
  });

  it('passes the EKS options too, so the pipeline rebuilds the same EKS stacks', () => {
    expect(defaultSynthCommand({ eks: { capacity: 'fargate', nodes: 3, analysisProvider: 'cloudwatch' } })).toBe(
      "npx slipway synth aws --out cdk.out --eks-capacity 'fargate' --eks-nodes '3' --eks-analysis 'cloudwatch'",
    );
  });
});
