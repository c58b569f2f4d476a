import fs from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/core/index.js';
import { DEPLOY_PERMISSIONS, REPLACEMENT_PROPERTIES, synthAws, type SynthAwsResult } from '../../src/synth/index.js';
import { slipway } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';


/** The assertion template of a synthesized stack, read from the assembly (no second synthesis). */
function templateOf(result: SynthAwsResult, stackName: string): Template {
  const stack = result.stacks.find((s) => s.name === stackName);
  if (stack === undefined) throw new Error(`no stack ${stackName} in ${result.stacks.map((s) => s.name).join(', ')}`);
  return Template.fromJSON(JSON.parse(fs.readFileSync(stack.templateFile, 'utf8')) as Record<string, unknown>);
}

/** Every resource of a type in a template, as `[logicalId, properties]`. */
function resourcesOf(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, ((r as { Properties?: Record<string, unknown> }).Properties ?? {})]);
}

/** Every IAM policy statement of a template (inline role policies and managed policies). */
function policyStatements(template: Template): { Action: unknown; Resource: unknown }[] {
  const fromPolicies = [...resourcesOf(template, 'AWS::IAM::Policy'), ...resourcesOf(template, 'AWS::IAM::ManagedPolicy')].flatMap(
    ([, p]) => (p.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
  );
  return fromPolicies;
}

/** A CloudFormation change-set action of the pipeline: create (`-changes`) or execute, on a stack, at a run order. */
function changeSet(name: string, stackName: string, runOrder: number) {
  const mode = name.endsWith('-changes') ? 'CHANGE_SET_REPLACE' : 'CHANGE_SET_EXECUTE';
  return Match.objectLike({ Name: name, RunOrder: runOrder, ActionTypeId: Match.objectLike({ Provider: 'CloudFormation' }), Configuration: Match.objectLike({ ActionMode: mode, StackName: stackName, ChangeSetName: 'slipway-pipeline' }) });
}

const SHOP = path.resolve(import.meta.dirname, '../../examples/shop');
const dir = tempDir('slipway-synth-shop-');
let result: SynthAwsResult;
let shared: Template;
let staging: Template;
let production: Template;
let pipeline: Template;

beforeAll(async () => {
  const { app, file } = await loadAppConfig({ cwd: SHOP });
  // One synthesis for the whole file, with the cdk-nag AwsSolutions checks and CDK's template validation.
  result = synthAws({ app, outDir: path.join(dir.path, 'cdk.out'), sourceDir: path.dirname(file), nag: true });
  shared = templateOf(result, 'shop-shared');
  staging = templateOf(result, 'shop-staging');
  production = templateOf(result, 'shop-production');
  pipeline = templateOf(result, 'shop-pipeline');
}, 120_000);

afterAll(() => dir.cleanup());

describe('slipway synth aws: the example shop', () => {
  it('builds a shared, one per environment and a pipeline stack that pass CDK template validation', () => {
    expect(result.stacks.map((s) => s.name).sort()).toEqual(['shop-pipeline', 'shop-production', 'shop-shared', 'shop-staging']);
    expect(fs.existsSync(path.join(result.assemblyDir, 'manifest.json'))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(result.assemblyDir, 'validation-report.json'), 'utf8')) as { pluginReports: { pluginName: string; conclusion: string }[] };
    expect(report.pluginReports.find((r) => r.pluginName === 'CloudFormation Validate')?.conclusion).toBe('success');
  });

  it('has no unacknowledged cdk-nag AwsSolutions error, and every acknowledgment has a reason', () => {
    expect(result.nagErrors).toEqual([]);
    // Acknowledgments are construct metadata (`Validations.of(x).acknowledge({ id, reason })`).
    const acknowledged = fs
      .readdirSync(result.assemblyDir)
      .filter((f) => f.endsWith('.metadata.json'))
      .flatMap((f) => Object.values(JSON.parse(fs.readFileSync(path.join(result.assemblyDir, f), 'utf8')) as Record<string, { type: string; data: Record<string, string> }[]>).flat())
      .filter((e) => e.type === 'aws:cdk:acknowledged-rules')
      .flatMap((e) => Object.entries(e.data).filter(([id]) => id.includes('AwsSolutions-')));
    expect(acknowledged.length).toBeGreaterThan(5);
    for (const [id, reason] of acknowledged) expect(reason.split(' ').length, id).toBeGreaterThanOrEqual(5);
  });

  it('warns about the production canary CodeDeploy cannot run step by step', () => {
    expect(result.warnings).toContain(
      "environments.production.strategy: CodeDeploy runs a single canary step: 5% for 1m, then 100% (the model's steps 5→25→50→100% cannot be expressed one-to-one)",
    );
    expect(result.warnings).toContain('alarms.gateway-5xx: period 10s becomes 1m (these CloudWatch metrics have 1-minute resolution)');
  });

  it('runs each service as a Fargate task with the model size, env, logs and an ADOT collector sidecar', () => {
    staging.resourceCountIs('AWS::ECS::TaskDefinition', 4);
    staging.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'shop-staging-gateway',
      Cpu: '256',
      Memory: '512',
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: 'gateway',
          PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
          Environment: Match.arrayWith([
            // ${services.catalog.url} → the internal ALB's listener of catalog.
            { Name: 'CATALOG_URL', Value: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkInternal'), 'DNSName'] }, ':9000']] } },
            { Name: 'PORT', Value: '8080' },
            { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://127.0.0.1:4318' },
          ]),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          HealthCheck: Match.objectLike({ Command: Match.arrayWith(['CMD', 'node']) }),
        }),
        Match.objectLike({ Name: 'aws-otel-collector', Image: Match.stringLikeRegexp('aws-otel-collector'), Environment: [Match.objectLike({ Name: 'AOT_CONFIG_CONTENT', Value: Match.stringLikeRegexp('awsxray') })] }),
      ]),
    });
    staging.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/slipway/shop/staging/gateway', RetentionInDays: 30, KmsKeyId: Match.anyValue() });
    staging.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'shop-staging', ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  it('deploys staging (AllAtOnce) with ECS rolling updates and the circuit breaker', () => {
    staging.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'shop-staging-gateway',
      DesiredCount: 2,
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    staging.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    staging.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 4);
  });

  it('deploys the production canary through CodeDeploy with the rollbackOn alarms and automatic rollback', () => {
    production.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 8);
    production.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'shop-production-gateway', DeploymentController: { Type: 'CODE_DEPLOY' } });
    production.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', { ComputePlatform: 'ECS', TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 5, CanaryInterval: 1 } } });
    production.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 4);
    production.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentGroupName: 'gateway',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: Match.anyValue() }, { Name: Match.anyValue() }] },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      BlueGreenDeploymentConfiguration: Match.objectLike({ TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 5 } }),
    });
    production.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });

  it('turns the model alarms into CloudWatch alarms on AWS/ApplicationELB with the same evaluation', () => {
    production.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-production-gateway-5xx',
      // The runbook goes with the alarm, as CloudWatch has no field of its own for it.
      AlarmDescription: 'The shop answers with server errors (checkouts failing?)\nRunbook: runbooks/gateway-5xx.md',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'missing',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'SUM([m0, m1])', ReturnData: true }),
        Match.objectLike({
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'LoadBalancer', Value: Match.anyValue() }, { Name: 'TargetGroup', Value: Match.anyValue() }] },
            Period: 60,
            Stat: 'Sum',
          },
        }),
      ]),
    });
    production.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-production-gateway-p99', Threshold: 0.5, Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Stat: 'p99' }) })]) });
  });

  it('scales on CPU between the model bounds, and has dashboards and X-Ray', () => {
    staging.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4, ResourceId: 'service/shop-staging/shop-staging-gateway' });
    staging.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    });
    staging.resourceCountIs('AWS::CloudWatch::Dashboard', 4);
    staging.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-staging-gateway' });
    staging.hasResourceProperties('AWS::XRay::Group', { GroupName: 'shop-staging', FilterExpression: 'annotation.deployment_environment = "staging"' });
    staging.resourceCountIs('AWS::XRay::SamplingRule', 1);
  });

  it('shares ECR repositories scanned on push with the artifacts lifecycle, and the flags in AppConfig', () => {
    shared.resourceCountIs('AWS::ECR::Repository', 4);
    shared.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'shop/gateway',
      ImageScanningConfiguration: { ScanOnPush: true },
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":10') },
    });
    shared.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', { Type: 'AWS.AppConfig.FeatureFlags' });
    // The shop's newCheckout: 10 % in production, everyone in staging (its override): one version each.
    const versions = resourcesOf(shared, 'AWS::AppConfig::HostedConfigurationVersion') as [string, { Content: string }][];
    expect(versions).toHaveLength(2);
    const ruleOf = (id: string) => (JSON.parse(versions.find(([v]) => v === id)![1].Content) as { values: { newCheckout: { _variants: { rule?: string }[] } } }).values.newCheckout._variants[0]!.rule;
    for (const [, version] of versions) {
      expect(JSON.parse(version.Content)).toMatchObject({ version: '1', flags: { newCheckout: { name: 'newCheckout' } }, values: { newCheckout: { _variants: [{ name: 'rule-1', enabled: true }, { name: 'default', enabled: false }] } } });
    }
    shared.resourceCountIs('AWS::AppConfig::Deployment', 2);
    const deployments = resourcesOf(shared, 'AWS::AppConfig::Deployment') as [string, { EnvironmentId: unknown; ConfigurationVersion: unknown }][];
    const versionOf = (env: string) => {
      const d = deployments.find(([, p]) => JSON.stringify(p.EnvironmentId).includes(env))![1];
      return versions.map(([id]) => id).find((id) => JSON.stringify(d.ConfigurationVersion).includes(id))!;
    };
    expect(ruleOf(versionOf('EnvProduction'))).toBe('(split by::$targetingKey pct::10)');
    expect(ruleOf(versionOf('EnvStaging'))).toBe('(split by::$targetingKey pct::100)');
  });

  it("rolls the flags out with each environment's strategy, and back on production's rollbackOn alarms", () => {
    // GIVEN staging all at once and production a canary 5→25→50→100 every 30s rolling back on gateway-5xx and gateway-p99
    const strategies = resourcesOf(shared, 'AWS::AppConfig::DeploymentStrategy');
    const strategy = (env: string) => strategies.find(([, p]) => p.Name === `shop-${env}-flags`)![1];
    expect(strategy('staging')).toMatchObject({ GrowthType: 'LINEAR', GrowthFactor: 100, DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 0, ReplicateTo: 'NONE' });
    expect(strategy('production')).toMatchObject({ GrowthType: 'LINEAR', GrowthFactor: 5, DeploymentDurationInMinutes: 2, FinalBakeTimeInMinutes: 0, ReplicateTo: 'NONE' });
    expect(result.warnings).toContain('environments.production.strategy: flags: AppConfig grows evenly: 5% at a time (5→10→15→…→100%) over 2m, not in the steps 5→25→50→100%');
    // THEN production's AppConfig environment watches the very alarms the production stack creates, through one role
    const created = resourcesOf(production, 'AWS::CloudWatch::Alarm').map(([, p]) => p.AlarmName);
    expect(created).toEqual(expect.arrayContaining(['shop-production-gateway-5xx', 'shop-production-gateway-p99']));
    const environments = resourcesOf(shared, 'AWS::AppConfig::Environment');
    const monitors = environments.find(([, p]) => p.Name === 'production')![1].Monitors as { AlarmArn: unknown; AlarmRoleArn: unknown }[];
    expect(monitors.map((m) => JSON.stringify(m.AlarmArn).match(/:alarm:([\w-]+)/)![1])).toEqual(['shop-production-gateway-5xx', 'shop-production-gateway-p99']);
    const [[roleId, role]] = resourcesOf(shared, 'AWS::IAM::Role') as [[string, { AssumeRolePolicyDocument: unknown; Policies: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }[] }]];
    for (const m of monitors) expect(m.AlarmRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('appconfig.amazonaws.com');
    const statements = role.Policies.flatMap((p) => p.PolicyDocument.Statement);
    expect(statements.map((st) => st.Action)).toEqual(['cloudwatch:DescribeAlarms']);
    expect([statements[0]!.Resource].flat()).toEqual(monitors.map((m) => m.AlarmArn));
    // THEN staging, without rollbackOn, watches nothing
    expect(environments.find(([, p]) => p.Name === 'staging')![1].Monitors).toBeUndefined();
    // THEN the shared stack's deployment role may pass the shared stack's own roles (the monitors name one)
    const passRole = policyStatements(pipeline).filter((st) => [st.Action].flat().includes('iam:PassRole'));
    expect(passRole.some((st) => JSON.stringify(st.Resource).includes(':role/shop-shared-*'))).toBe(true);
  });

  it('builds the pipeline as CodePipeline V2 with the trigger, buildspecs, images, approval and deploy actions', () => {
    pipeline.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      ExecutionMode: 'SUPERSEDED',
      Triggers: [{ ProviderType: 'CodeStarSourceConnection', GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['main'] } }] } }],
      Stages: [
        Match.objectLike({ Name: 'Source', Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'CodeStarSourceConnection' }) })] }),
        Match.objectLike({ Name: 'Synth', Actions: [Match.objectLike({ Name: 'synth', OutputArtifacts: [{ Name: 'Assembly' }] })] }),
        Match.objectLike({ Name: 'Build' }),
        Match.objectLike({ Name: 'Test' }),
        Match.objectLike({ Name: 'Images', Actions: Match.arrayWith([changeSet('shared-changes', 'shop-shared', 1), changeSet('shared-execute', 'shop-shared', 2)]) }),
        Match.objectLike({
          Name: 'Staging',
          Actions: Match.arrayWith([
            changeSet('staging-changes', 'shop-staging', 1),
            changeSet('staging-execute', 'shop-staging', 2),
            Match.objectLike({ Name: 'deploy-staging-gateway', RunOrder: 3, ActionTypeId: Match.objectLike({ Provider: 'ECS' }) }),
          ]),
        }),
        Match.objectLike({ Name: 'Approve', Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'Manual' }), Configuration: Match.objectLike({ NotificationArn: Match.anyValue() }) })] }),
        Match.objectLike({
          Name: 'Production',
          Actions: Match.arrayWith([
            changeSet('production-changes', 'shop-production', 1),
            changeSet('production-execute', 'shop-production', 2),
            Match.objectLike({ Name: 'taskdef-production-gateway', RunOrder: 3, OutputArtifacts: [{ Name: 'TaskDef_Production_Gateway' }] }),
            Match.objectLike({
              Name: 'deploy-production-gateway',
              RunOrder: 4,
              ActionTypeId: Match.objectLike({ Provider: 'CodeDeployToECS' }),
              Configuration: Match.objectLike({ TaskDefinitionTemplateArtifact: 'TaskDef_Production_Gateway', TaskDefinitionTemplatePath: 'taskdef-production.json', AppSpecTemplatePath: 'appspec.yaml', Image1ContainerName: 'IMAGE1_NAME' }),
            }),
          ]),
        }),
      ],
    });
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', { Source: Match.objectLike({ BuildSpec: 'buildspec.yml' }) });
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', { Source: Match.objectLike({ BuildSpec: 'buildspec.test.yml' }) });
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ EnvironmentVariables: Match.arrayWith([{ Name: 'TASK_FAMILY', Type: 'PLAINTEXT', Value: 'shop-production-gateway' }]) }),
    });
    pipeline.hasParameter('SourceConnectionArn', { Type: 'String' });
  });

  it('keeps pipeline artifacts in a KMS-encrypted, TLS-only, private bucket', () => {
    pipeline.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    pipeline.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it("builds each service's image from the shop's own Dockerfile, and says that its local base must be replaced on CodeBuild", () => {
    // No generated Dockerfile: every service has one of its own, built with the shop's folder as context.
    const generated = fs.readdirSync(result.assemblyDir).filter((f) => f.startsWith('asset.') && fs.readFileSync(path.join(result.assemblyDir, f), 'utf8').startsWith('# Generated by slipway'));
    expect(generated).toEqual([]);
    for (const service of ['gateway', 'catalog', 'orders', 'payments']) {
      pipeline.hasResourceProperties('AWS::CodeBuild::Project', {
        Description: `slipway: image of ${service}`,
        Environment: Match.objectLike({
          EnvironmentVariables: Match.arrayWith([
            { Name: 'DOCKERFILE', Type: 'PLAINTEXT', Value: `services/${service}/Dockerfile` },
            { Name: 'BUILD_CONTEXT', Type: 'PLAINTEXT', Value: '.' },
          ]),
        }),
      });
      expect(result.warnings).toContainEqual(expect.stringMatching(new RegExp(`^services\\.${service}\\.image\\.buildArgs: services/${service}/Dockerfile defaults BASE to localhost/debian-node:bookworm`)));
    }
  });

  it('knows the replacement properties of every resource type it synthesizes, and the deploy permissions of the deployed stacks', () => {
    const types = (t: Template) => [...new Set(Object.values(t.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type))];
    for (const t of [shared, staging, production, pipeline]) for (const type of types(t)) expect(REPLACEMENT_PROPERTIES, type).toHaveProperty([type]);
    for (const t of [shared, staging, production]) for (const type of types(t)) expect(DEPLOY_PERMISSIONS, type).toHaveProperty([type]);
  });

  it('grants no "*" action on "*" resources', () => {
    for (const t of [shared, staging, production, pipeline]) {
      for (const s of policyStatements(t)) {
        const actions = [s.Action].flat();
        expect(actions.includes('*') && [s.Resource].flat().includes('*')).toBe(false);
      }
    }
  });
});

describe('slipway synth aws (CLI)', () => {
  it('writes an assembly, prints the warnings, and diffs later runs against earlier ones as change sets', async () => {
    const first = path.join(dir.path, 'cli-1');
    const started = Date.now();
    const run1 = await slipway(['synth', 'aws', '--out', first], { cwd: SHOP, timeoutMs: 90_000 });
    const elapsedMs = Date.now() - started;
    expect(run1.code, run1.stderr).toBe(0);
    expect(run1.stdout).toMatch(/synthesized 4 stacks into/);
    expect(run1.stderr).toContain('warning: environments.production.strategy: CodeDeploy runs a single canary step');
    console.log(`slipway synth aws on the example shop: ${elapsedMs} ms`);

    const run2 = await slipway(['synth', 'aws', '--out', path.join(dir.path, 'cli-2'), '--diff', first], { cwd: SHOP, timeoutMs: 90_000 });
    expect(run2.code, run2.stderr).toBe(0);
    expect(run2.stdout).toContain('no differences');

    // A previous assembly where production's gateway target group had another port and its 5xx alarm another threshold.
    const tampered = path.join(dir.path, 'cli-tampered');
    fs.cpSync(first, tampered, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(tampered, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { properties?: { stackName?: string; templateFile?: string } }> };
    const templateFile = path.join(tampered, Object.values(manifest.artifacts).find((a) => a.properties?.stackName === 'shop-production')!.properties!.templateFile!);
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [groupId, group] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')!;
    const port = group.Properties.Port;
    group.Properties.Port = 8181;
    const [alarmId, alarm] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === 'shop-production-gateway-5xx')!;
    alarm.Properties.Threshold = 50;
    fs.writeFileSync(templateFile, JSON.stringify(template));
    const run3 = await slipway(['synth', 'aws', '--out', path.join(dir.path, 'cli-4'), '--diff', tampered, '--json'], { cwd: SHOP, timeoutMs: 90_000 });
    expect(run3.code, run3.stderr).toBe(0);
    const { diff } = JSON.parse(run3.stdout) as { diff: { stacks: { stackName: string; action: string; changes: { resourceId: string; action: string; effect: string; attributes: { path: string; old: unknown; new: unknown; effect: string }[] }[] }[] } };
    expect(diff.stacks.map((st) => [st.stackName, st.action])).toEqual([['shop-production', 'Modify']]);
    const changes = diff.stacks[0]!.changes;
    expect(changes.find((c) => c.resourceId === groupId)).toMatchObject({ action: 'Modify', effect: 'replacement', attributes: [{ path: 'Properties.Port', old: 8181, new: port, effect: 'replacement' }] });
    // The alarm also watches the replaced target group: its metrics follow the new one, in place.
    const alarmChange = changes.find((c) => c.resourceId === alarmId)!;
    expect(alarmChange).toMatchObject({ action: 'Modify', effect: 'in-place' });
    expect(alarmChange.attributes).toContainEqual({ path: 'Properties.Threshold', old: 50, new: 5, effect: 'in-place' });
    expect(alarmChange.attributes.find((a) => a.path === 'Properties.Metrics')?.effect).toBe('in-place');

    const bad = await slipway(['synth', 'aws', '--out', path.join(dir.path, 'cli-3'), '--diff', path.join(dir.path, 'missing')], { cwd: SHOP, timeoutMs: 90_000 });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a cloud assembly/);
  }, 240_000);
});
