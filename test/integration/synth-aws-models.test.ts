import fs from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueGreen, canary, linear, resolveApp, rolling, type StrategyDefinition } from '../../src/shared/index.js';
import { synthAws, type SynthAwsResult } from '../../src/synth/index.js';
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

const dir = tempDir('slipway-synth-models-');
afterAll(() => dir.cleanup());

// One app with an environment per strategy: a single synthesis covers every mapping.
const STRATEGIES: Record<string, StrategyDefinition> = {
  'all-at-once': 'CodeDeployDefault.AllAtOnce',
  'half-at-a-time': 'CodeDeployDefault.HalfAtATime',
  'one-at-a-time': 'CodeDeployDefault.OneAtATime',
  'ecs-all-at-once': 'CodeDeployDefault.ECSAllAtOnce',
  'canary-5m': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'canary-15m': 'CodeDeployDefault.ECSCanary10Percent15Minutes',
  'linear-1m': 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  'linear-3m': 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  'custom-canary': canary({ steps: [20, 60, 100], interval: '2m' }),
  'custom-linear': linear({ percent: 25, every: '4m' }),
  'rolling-half': rolling({ batchPercent: 50, minHealthyPercent: 50 }),
  'blue-green': blueGreen({ terminateBlueAfter: '15m' }),
};

describe('slipway synth aws: every strategy', () => {
  let result: SynthAwsResult;
  const env = (name: string): Template => templateOf(result, `strat-${name}`);

  beforeAll(() => {
    const app = resolveApp({
      name: 'strat',
      services: { web: { path: 'web', start: 'node server.js', ingress: { pathPrefix: '/' }, scaling: { min: 2, max: 2 } } },
      environments: Object.fromEntries(
        Object.entries(STRATEGIES).map(([name, strategy], i) => [
          name,
          { ingressPort: 8100 + i, strategy, ...(name === 'blue-green' ? { testPort: 9443 } : {}), ...(name === 'rolling-half' ? { rollbackOn: ['web-5xx'] } : {}) },
        ]),
      ),
      alarms: { 'web-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', threshold: 1, environment: 'rolling-half' } },
    });
    result = synthAws({ app, outDir: path.join(dir.path, 'strategies') });
  }, 120_000);

  it.each([
    ['all-at-once', 100, 200],
    ['half-at-a-time', 100, 150],
    ['one-at-a-time', 100, 150],
    ['rolling-half', 50, 100],
  ])('%s runs as an ECS rolling update with the circuit breaker (min/max healthy %s/%s)', (name, min, max) => {
    const t = env(name);
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: min, MaximumPercent: max, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    t.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
  });

  it.each([
    ['ecs-all-at-once', 'CodeDeployDefault.ECSAllAtOnce'],
    ['canary-5m', 'CodeDeployDefault.ECSCanary10Percent5Minutes'],
    ['canary-15m', 'CodeDeployDefault.ECSCanary10Percent15Minutes'],
    ['linear-1m', 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes'],
    ['linear-3m', 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes'],
    ['blue-green', 'CodeDeployDefault.ECSAllAtOnce'],
  ])('%s deploys through CodeDeploy with %s', (name, config) => {
    const t = env(name);
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentController: { Type: 'CODE_DEPLOY' } });
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: config,
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE'] },
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
    });
    t.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 0);
  });

  it('rolls an ECS rolling deployment back on the rollbackOn alarms', () => {
    env('rolling-half').hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ Alarms: { AlarmNames: ['strat-rolling-half-web-5xx'], Enable: true, Rollback: true } }) });
    env('rolling-half').hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'strat-rolling-half-web-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count' });
    env('all-at-once').resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('maps a custom canary to its first step, with a warning naming the difference', () => {
    env('custom-canary').hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', { ComputePlatform: 'ECS', TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 20, CanaryInterval: 2 } } });
    expect(result.warnings).toContain("environments.custom-canary.strategy: CodeDeploy runs a single canary step: 20% for 2m, then 100% (the model's steps 20→60→100% cannot be expressed one-to-one)");
  });

  it('maps a custom linear strategy to a custom CodeDeploy configuration', () => {
    env('custom-linear').hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', { TrafficRoutingConfig: { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: 25, LinearInterval: 4 } } });
  });

  it('gives blue/green its test listener and keeps blue terminateBlueAfter', () => {
    const t = env('blue-green');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9443, Protocol: 'HTTP' });
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      LoadBalancerInfo: { TargetGroupPairInfoList: [Match.objectLike({ TestTrafficRoute: { ListenerArns: [Match.anyValue()] }, TargetGroups: [Match.anyValue(), Match.anyValue()] })] },
      BlueGreenDeploymentConfiguration: Match.objectLike({ TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 15 } }),
    });
  });
});

describe('slipway synth aws: alarms, notifications, App Runner, secrets, flags, GitFlow', () => {
  let result: SynthAwsResult;
  let prod: Template;
  let shared: Template;
  let pipeline: Template;
  const SECRET_VALUE = 'sk_live_do-not-leak-4f9c2e';

  beforeAll(() => {
    // A secret value present where synthesis runs must still never reach a template.
    process.env.DB_PASSWORD = SECRET_VALUE;
    const app = resolveApp({
      name: 'feat',
      services: {
        api: {
          path: 'api',
          start: 'node api.js',
          ingress: { pathPrefix: '/api' },
          secrets: ['DB_PASSWORD'],
          env: { WORKER_URL: '${services.worker.url}', SEARCH_URL: '${services.search.url}' },
          scaling: { min: 1, max: 3, targetRequestsPerTask: 100 },
        },
        worker: { path: 'worker', start: 'node worker.js', scaling: { min: 1, max: 2, targetRequestsPerTask: 50 } },
        search: { path: 'search', start: 'node search.js', platform: 'apprunner', cpu: 1024, memory: 2048, env: { WORKER_URL: '${services.worker.url}' }, secrets: ['SEARCH_KEY'], scaling: { min: 1, max: 5 } },
      },
      environments: { prod: { ingressPort: 8080, testPort: 9443, strategy: blueGreen({}), rollbackOn: ['api-errors'] } },
      alarms: {
        'api-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'api', stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching', notify: ['oncall'] },
        'api-latency': { metric: 'TargetResponseTime', service: 'api', stat: 'p99', period: '5m', band: 2, notify: ['oncall'] },
        'checkout-rate': { metric: 'checkout.count', service: 'api', stat: 'Sum', threshold: 1, comparison: 'LessThanThreshold' },
        'api-errors': { rule: 'ALARM("api-5xx") AND NOT OK("api-latency")', notify: ['oncall'] },
      },
      notifications: {
        oncall: [
          { type: 'webhook', url: 'https://hooks.example.com/slipway' },
          { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
          { type: 'email', to: ['ops@example.com'] },
          { type: 'file', path: 'alerts.jsonl' },
        ],
      },
      oncall: {
        users: { ops: { contact: 'oncall' } },
        schedules: { primary: { layers: [{ members: ['ops'], start: '2026-01-05' }] } },
        escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }] }] } },
        policyBySeverity: { SEV1: 'standard' },
      },
      dashboards: {
        overview: {
          widgets: [
            { type: 'metric', metric: 'RequestCount', service: 'api', stat: 'Sum' },
            { type: 'logs', query: 'fields @timestamp, @message | filter @message like /error/ | limit 20' },
            { type: 'alarms', alarms: ['api-5xx', 'api-errors'] },
            { type: 'text', markdown: 'on call: #ops' },
          ],
        },
      },
      flags: { theme: { default: 'light', variants: { light: {}, dark: {} }, rules: [{ match: { plan: 'pro' }, percentage: 50, value: 'dark' }] } },
      artifacts: { keepLast: 5, expireUntaggedAfter: '3d' },
      pipeline: {
        trigger: { preset: 'gitflow', tags: ['v*'] },
        stages: [
          { name: 'Build', actions: [{ type: 'build' }] },
          { name: 'Prod', beforeEntry: { alarms: ['api-5xx'] }, onFailure: { result: 'ROLLBACK' }, actions: [{ type: 'deploy', environment: 'prod' }] },
        ],
      },
    });
    result = synthAws({ app, outDir: path.join(dir.path, 'features'), region: 'eu-west-1', account: '123456789012' });
    prod = templateOf(result, 'feat-prod');
    shared = templateOf(result, 'feat-shared');
    pipeline = templateOf(result, 'feat-pipeline');
  }, 120_000);

  afterAll(() => {
    delete process.env.DB_PASSWORD;
  });

  it('creates a metric alarm with the model evaluation and SNS actions', () => {
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'feat-prod-api-5xx',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.anyValue()],
      OKActions: [Match.anyValue()],
      InsufficientDataActions: [Match.anyValue()],
    });
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'feat-prod-checkout-rate',
      ComparisonOperator: 'LessThanThreshold',
      Namespace: 'Slipway/feat',
      MetricName: 'checkout.count',
      Dimensions: [{ Name: 'deployment.environment', Value: 'prod' }, { Name: 'service.name', Value: 'api' }],
    });
  });

  it('creates an anomaly alarm with an AnomalyDetector and the model band', () => {
    prod.resourceCountIs('AWS::CloudWatch::AnomalyDetector', 1);
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'feat-prod-api-latency',
      ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
      ThresholdMetricId: 'band',
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(e0, 2)', ReturnData: true })]),
    });
  });

  it('translates the composite rule to CloudWatch syntax with alarm ARNs', () => {
    const [[, composite]] = resourcesOf(prod, 'AWS::CloudWatch::CompositeAlarm') as [[string, { AlarmName: string; AlarmRule: unknown }]];
    expect(composite.AlarmName).toBe('feat-prod-api-errors');
    const rule = JSON.stringify(composite.AlarmRule);
    expect(rule).toMatch(/ALARM\(\\"/);
    expect(rule).toMatch(/NOT \(*OK\(\\"/);
    expect(rule).toContain('Fn::GetAtt');
    // The rollbackOn composite is what CodeDeploy watches.
    prod.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentGroupName: 'api', AlarmConfiguration: { Enabled: true, Alarms: [{ Name: Match.anyValue() }] }, AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] } });
  });

  it('creates an encrypted SNS topic per notification topic with https and email subscriptions', () => {
    shared.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'feat-oncall', KmsMasterKeyId: Match.anyValue() });
    shared.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://hooks.example.com/slipway' });
    shared.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://hooks.slack.com/services/T/B/X' });
    shared.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(result.warnings).toContain('notifications.oncall[3]: a file subscription (alerts.jsonl) has no AWS counterpart: no subscription');
  });

  it('says that on-call paging is not synthesized', () => {
    expect(result.warnings).toContain('oncall: schedules and escalation policies page from the slipway control plane only; AWS Systems Manager Incident Manager (contacts, rotations, escalation plans) is not synthesized');
  });

  it('runs an apprunner service on App Runner with scaling, health check, X-Ray and a VPC connector', () => {
    prod.hasResourceProperties('AWS::AppRunner::Service', {
      ServiceName: 'feat-prod-search',
      InstanceConfiguration: Match.objectLike({ Cpu: '1 vCPU', Memory: '2 GB' }),
      HealthCheckConfiguration: Match.objectLike({ Protocol: 'HTTP', Path: '/healthz' }),
      ObservabilityConfiguration: Match.objectLike({ ObservabilityEnabled: true }),
      NetworkConfiguration: { EgressConfiguration: { EgressType: 'VPC', VpcConnectorArn: Match.anyValue() } },
      SourceConfiguration: Match.objectLike({
        AutoDeploymentsEnabled: true,
        ImageRepository: Match.objectLike({ ImageRepositoryType: 'ECR', ImageConfiguration: Match.objectLike({ Port: '8080', RuntimeEnvironmentSecrets: [{ Name: 'SEARCH_KEY', Value: Match.anyValue() }] }) }),
      }),
    });
    prod.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 5 });
    prod.hasResourceProperties('AWS::AppRunner::ObservabilityConfiguration', { TraceConfiguration: { Vendor: 'AWSXRAY' } });
    // ECS services reach it at its HTTPS URL.
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'api', Environment: Match.arrayWith([{ Name: 'SEARCH_URL', Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'ServiceUrl'] }]] } }]) })]),
    });
  });

  it('references secrets in Secrets Manager and never puts a value in a template', () => {
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'api', Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(':secret:feat/prod/DB_PASSWORD')])]) }) }] })]),
    });
    for (const stack of result.stacks) {
      const text = fs.readFileSync(stack.templateFile, 'utf8');
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain('SecretString');
    }
  });

  it('scales on requests per task across both CodeDeploy target groups', () => {
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'feat-prod-api-requests-per-task',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 100,
        CustomizedMetricSpecification: { Metrics: Match.arrayWith([Match.objectLike({ Id: 'perTask', Expression: '(FILL(blue, 0) + FILL(green, 0)) / tasks' })]) },
      }),
    });
  });

  it('mirrors the model dashboard', () => {
    const dashboards = resourcesOf(prod, 'AWS::CloudWatch::Dashboard');
    const overview = dashboards.find(([, p]) => p.DashboardName === 'feat-prod-overview');
    expect(overview).toBeDefined();
    const body = JSON.stringify(overview![1].DashboardBody);
    expect(body).toContain('filter @message like /error/');
    expect(body).toContain('on call: #ops');
    expect(body).toContain('RequestCount');
    expect(body).toContain('alarm');
  });

  it('writes variant flags in AppConfig feature-flag format', () => {
    const [[, version]] = resourcesOf(shared, 'AWS::AppConfig::HostedConfigurationVersion') as [[string, { Content: string; ContentType: string }]];
    expect(JSON.parse(version.Content)).toEqual({
      version: '1',
      flags: { theme: { name: 'theme', attributes: { value: { constraints: { type: 'string' } } } } },
      values: {
        theme: {
          _variants: [
            { name: 'rule-1', enabled: true, rule: '(and (eq $plan "pro") (split by::$targetingKey pct::50))', attributeValues: { value: 'dark' } },
            { name: 'default', enabled: true, attributeValues: { value: 'light' } },
          ],
        },
      },
    });
  });

  it('triggers the pipeline on the GitFlow branches and tags, with stage conditions', () => {
    pipeline.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Triggers: [
        {
          ProviderType: 'CodeStarSourceConnection',
          GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['main', 'develop', 'release/*', 'hotfix/*'] } }, { Tags: { Includes: ['v*'] } }] },
        },
      ],
      Stages: Match.arrayWith([
        Match.objectLike({
          Name: 'Prod',
          BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: [Match.objectLike({ RuleTypeId: Match.objectLike({ Provider: 'CloudWatchAlarm' }), Configuration: { AlarmName: 'feat-prod-api-5xx', AlarmStates: 'ALARM' } })] }] },
          OnFailure: { Result: 'ROLLBACK' },
        }),
      ]),
    });
    pipeline.hasResourceProperties('AWS::CodeBuild::Project', { Source: Match.objectLike({ BuildSpec: Match.stringLikeRegexp('ecr batch-get-image') }) });
  });

  it('applies the artifacts policy to ECR', () => {
    shared.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'feat/api',
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":3,"countUnit":"days"') },
    });
    shared.hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countType":"imageCountMoreThan","countNumber":5') } });
  });
});

describe('slipway synth aws: HTTPS, an imported VPC and a CodeCommit source', () => {
  let result: SynthAwsResult;

  beforeAll(() => {
    const app = resolveApp({
      name: 'tls',
      services: {
        web: { path: 'web', start: 'node web.js', ingress: { pathPrefix: '/' }, env: { API_URL: '${services.api.url}' } },
        api: { path: 'api', start: 'node api.js' },
      },
      environments: { prod: { ingressPort: 8080 } },
      pipeline: { stages: [{ name: 'Deploy', actions: [{ type: 'deploy', environment: 'prod' }] }] },
    });
    result = synthAws({
      app,
      outDir: path.join(dir.path, 'tls'),
      region: 'eu-west-1',
      account: '123456789012',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      vpc: 'import',
      source: { kind: 'codecommit', repositoryName: 'tls' },
      nag: true,
    });
  }, 120_000);

  it('serves the ingress over HTTPS, redirects port 80, and keeps service-to-service traffic HTTP inside the VPC', () => {
    const t = templateOf(result, 'tls-prod');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }] });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect' })] });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9000, Protocol: 'HTTP' });
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.hasParameter('VpcId', { Type: 'AWS::EC2::VPC::Id' });
    t.hasParameter('PrivateSubnet1', { Type: 'AWS::EC2::Subnet::Id' });
  });

  it('reads the source from CodeCommit and passes cdk-nag', () => {
    templateOf(result, 'tls-pipeline').hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: Match.arrayWith([Match.objectLike({ Name: 'Source', Actions: [Match.objectLike({ ActionTypeId: Match.objectLike({ Provider: 'CodeCommit' }), Configuration: Match.objectLike({ RepositoryName: 'tls', BranchName: 'main' }) })] })]),
    });
    expect(result.nagErrors).toEqual([]);
  });
});
