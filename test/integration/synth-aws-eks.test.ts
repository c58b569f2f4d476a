import fs from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canary, resolveApp, validateApp, type AppDefinition } from '../../src/shared/index.js';
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
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r as { Properties?: Record<string, unknown> }).Properties ?? {}]);
}

// The shop's shape: staging on ECS, production on EKS with the four-step canary and its rollback alarms.
function definition(): AppDefinition {
  const health = { path: '/healthz', interval: '2s', timeout: '1s', unhealthyThreshold: 3 };
  return {
    name: 'shop',
    services: {
      gateway: { path: 'services/gateway', start: 'node server.js', health, ingress: { pathPrefix: '/' }, scaling: { min: 2, max: 4, targetCpuPercent: 60 }, env: { CATALOG_URL: '${services.catalog.url}' }, secrets: ['PAYMENT_API_KEY'] },
      catalog: { path: 'services/catalog', start: 'node server.js', health, scaling: { min: 1, max: 3, targetCpuPercent: 70 } },
    },
    environments: {
      staging: { ingressPort: 8081, strategy: 'CodeDeployDefault.AllAtOnce' },
      production: { ingressPort: 8080, platform: 'eks', strategy: canary({ steps: [5, 25, 50, 100], interval: '30s' }), rollbackOn: ['gateway-p99'] },
    },
    pipeline: {
      trigger: { branches: ['main'] },
      stages: [
        { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] },
        { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
        { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
      ],
    },
    alarms: { 'gateway-p99': { metric: 'TargetResponseTime', service: 'gateway', stat: 'p99', period: '1m', threshold: 0.5, evaluationPeriods: 3 } },
    flags: { newCheckout: { default: false, rules: [{ percentage: 10, value: true }] } },
  };
}

const dir = tempDir('slipway-synth-eks-');
let result: SynthAwsResult;
let production: Template;
let pipeline: Template;

beforeAll(() => {
  result = synthAws({ app: resolveApp(definition()), outDir: path.join(dir.path, 'cdk.out'), nag: true, account: '123456789012', region: 'eu-west-1' });
  production = templateOf(result, 'shop-production');
  pipeline = templateOf(result, 'shop-pipeline');
}, 180_000);

afterAll(() => dir.cleanup());

/** The Kubernetes objects a manifest resource applies (its `Manifest` JSON, with CloudFormation tokens left as text). */
function manifestOf(template: Template, logicalIdPrefix: string): Record<string, unknown>[] {
  const [, props] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith(logicalIdPrefix)) ?? [];
  if (props === undefined) throw new Error(`no manifest ${logicalIdPrefix}`);
  const raw = props.Manifest;
  // Tokens sit inside JSON strings (an image name, an annotation): each becomes the text TOKEN.
  const text = typeof raw === 'string' ? raw : (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text) as Record<string, unknown>[];
}

/** Every IAM policy statement of the roles whose logical id starts with a prefix. */
function statementsOf(template: Template, rolePrefix: string): { Action: unknown; Resource: unknown }[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap(([, p]) => (p.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
}

describe('slipway synth aws: an EKS environment', () => {
  it('synthesizes the EKS stack beside the ECS one, passing CDK template validation and cdk-nag', () => {
    expect(result.stacks.map((s) => s.name).sort()).toEqual(['shop-pipeline', 'shop-production', 'shop-shared', 'shop-staging']);
    const report = JSON.parse(fs.readFileSync(path.join(result.assemblyDir, 'validation-report.json'), 'utf8')) as { pluginReports: { pluginName: string; conclusion: string }[] };
    expect(report.pluginReports.find((r) => r.pluginName === 'CloudFormation Validate')?.conclusion).toBe('success');
    expect(result.nagErrors).toEqual([]);
    // Production has no ECS: its services run in the cluster.
    production.resourceCountIs('AWS::ECS::Cluster', 0);
    production.resourceCountIs('AWS::ECS::Service', 0);
    production.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    templateOf(result, 'shop-staging').resourceCountIs('AWS::ECS::Service', 2);
  });

  it('creates the cluster with a private endpoint, every control-plane log, encrypted Secrets and a managed node group', () => {
    production.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'shop-production',
      Version: '1.35',
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
    });
    production.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_STANDARD', InstanceTypes: ['m6i.large'], ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 } });
    production.resourceCountIs('AWS::EKS::FargateProfile', 0);
    production.resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  it('installs the AWS Load Balancer Controller, Argo Rollouts and External Secrets as pinned Helm charts', () => {
    const charts = resourcesOf(production, 'Custom::AWSCDK-EKS-HelmChart').map(([, p]) => [p.Chart, p.Repository, p.Version, p.Namespace]);
    expect(charts).toEqual(
      expect.arrayContaining([
        ['aws-load-balancer-controller', 'https://aws.github.io/eks-charts', '1.17.1', 'kube-system'],
        ['argo-rollouts', 'https://argoproj.github.io/argo-helm', '2.39.0', 'argo-rollouts'],
        ['external-secrets', 'https://charts.external-secrets.io', '0.18.2', 'external-secrets'],
      ]),
    );
    expect(charts).toHaveLength(3);
  });

  it('gives each ServiceAccount that calls AWS an IRSA role with only what it calls', () => {
    const serviceAccounts = resourcesOf(production, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap(([id]) => manifestOf(production, id)).filter((o) => o.kind === 'ServiceAccount');
    const annotated = serviceAccounts.map((o) => o.metadata as { name: string; namespace: string; annotations: Record<string, string> });
    expect(annotated.map((m) => `${m.namespace}/${m.name}`).sort()).toEqual(['kube-system/aws-load-balancer-controller', 'shop-production/otel-collector', 'shop-production/shop-external-secrets']);
    for (const m of annotated) expect(m.annotations['eks.amazonaws.com/role-arn']).toBe('TOKEN');
    // IRSA: each role trusts the cluster's OIDC provider for its own ServiceAccount.
    production.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: Match.anyValue() } })], Version: '2012-10-17' },
    });
    expect(statementsOf(production, 'EksClusterSecretsAccountRole')).toEqual([
      { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:123456789012:secret:shop/production/*']] } },
    ]);
    const collector = statementsOf(production, 'EksClusterCollectorAccountRole');
    expect(collector).toEqual([
      expect.objectContaining({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*' }),
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Metrics/), 'Arn'] } }),
    ]);
  });

  it('applies the Kubernetes charts after the controllers, with the canary steps and the ECR images', () => {
    const platform = manifestOf(production, 'EksClusterPlatform');
    expect(platform.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'ConfigMap', 'SecretStore', 'AnalysisTemplate']));
    // The EKS stack owns the ServiceAccounts with IAM roles: the chart does not create them again.
    expect(platform.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    const [, platformResource] = Object.entries(production.findResources('Custom::AWSCDK-EKS-KubernetesResource')).find(([id]) => id.startsWith('EksClusterPlatform'))!;
    const dependsOn = (platformResource as { DependsOn: string[] }).DependsOn;
    for (const controller of ['EksClusterchartArgoRollouts', 'EksClusterchartExternalSecrets', 'SlipwayEnvProductionEksCluster7AF4FA8FAlbController']) {
      expect(dependsOn.some((d) => d.startsWith(controller)), controller).toBe(true);
    }

    const gateway = manifestOf(production, 'EksClusterServiceGateway');
    const rollout = gateway.find((o) => o.kind === 'Rollout') as { metadata: { namespace: string }; spec: { strategy: { canary: { steps: Record<string, unknown>[]; trafficRouting: unknown } }; template: { spec: { containers: { name: string; image: unknown }[] } } } };
    expect(rollout.metadata.namespace).toBe('shop-production');
    expect(rollout.spec.strategy.canary.steps.filter((s) => 'setWeight' in s).map((s) => s.setWeight)).toEqual([5, 25, 50, 100]);
    expect(rollout.spec.strategy.canary.steps).toContainEqual({ pause: { duration: '30s' } });
    expect(rollout.spec.strategy.canary.trafficRouting).toMatchObject({ alb: expect.objectContaining({ ingress: 'gateway' }) });
    expect(rollout.spec.template.spec.containers[0]!.name).toBe('app');
    // The shared stack's repository shop/gateway in this account and region, at the stack's ImageTag.
    const [, gatewayResource] = resourcesOf(production, 'Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith('EksClusterServiceGateway'))!;
    expect(JSON.stringify(gatewayResource.Manifest)).toContain('123456789012.dkr.ecr.eu-west-1.');
    expect(JSON.stringify(gatewayResource.Manifest)).toContain('/shop/gateway:');
    expect(JSON.stringify(gatewayResource.Manifest)).toContain('{"Ref":"ImageTag"}');
    expect(gateway.find((o) => o.kind === 'Ingress')).toMatchObject({ spec: { ingressClassName: 'alb' } });
    expect(manifestOf(production, 'EksClusterServiceCatalog').map((o) => o.kind)).toContain('Rollout');
  });

  it('lets the pipeline act in the cluster only as a group that reads and patches the namespace workloads', () => {
    production.hasResourceProperties('AWS::EKS::AccessEntry', { KubernetesGroups: ['slipway-deployers'], PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeployRole'), 'Arn'] }, Type: 'STANDARD' });
    const deployEntry = resourcesOf(production, 'AWS::EKS::AccessEntry').find(([id]) => id === 'DeployAccess')!;
    expect(deployEntry[1].AccessPolicies).toBeUndefined();
    const [role, binding] = manifestOf(production, 'EksClustermanifestDeployRbac') as [{ kind: string; metadata: { namespace: string }; rules: { resources: string[]; verbs: string[] }[] }, { kind: string; subjects: unknown[] }];
    expect(role.kind).toBe('Role');
    expect(role.metadata.namespace).toBe('shop-production');
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain('create');
    expect(role.rules.flatMap((r) => r.verbs)).not.toContain('delete');
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'slipway-deployers' }]);
    // The deploy role holds no IAM permissions; only the pipeline stack's roles may assume it.
    expect(statementsOf(production, 'DeployRole')).toEqual([]);
    production.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { ArnLike: { 'aws:PrincipalArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::123456789012:role/shop-pipeline-*'])] }) } } })], Version: '2012-10-17' },
    });
  });

  it('deploys each EKS service by updating its Rollout image from a build in the cluster VPC', () => {
    const stages = (pipeline.findResources('AWS::CodePipeline::Pipeline') as Record<string, { Properties: { Stages: { Name: string; Actions: { Name: string; ActionTypeId: { Provider: string }; Configuration: Record<string, unknown>; InputArtifacts?: { Name: string }[] }[] }[] } }>);
    const production_ = Object.values(stages)[0]!.Properties.Stages.find((s) => s.Name === 'Production')!;
    expect(production_.Actions.map((a) => [a.Name, a.ActionTypeId.Provider])).toEqual([
      ['production-changes', 'CloudFormation'],
      ['production-execute', 'CloudFormation'],
      ['deploy-production-gateway', 'CodeBuild'],
      ['deploy-production-catalog', 'CodeBuild'],
    ]);
    expect(production_.Actions[2]!.InputArtifacts).toEqual([{ Name: 'Image_Gateway' }]);
    // Staging stays on ECS: the ECS deploy action.
    const staging = Object.values(stages)[0]!.Properties.Stages.find((s) => s.Name === 'Staging')!;
    expect(staging.Actions.filter((a) => a.Name.startsWith('deploy-')).map((a) => a.ActionTypeId.Provider)).toEqual(['ECS', 'ECS']);

    const [, project] = resourcesOf(pipeline, 'AWS::CodeBuild::Project').find(([, p]) => JSON.stringify(p.Environment).includes('WORKLOAD_NAME') && JSON.stringify(p.Environment).includes('"gateway"'))!;
    const vars = Object.fromEntries((project.Environment as { EnvironmentVariables: { Name: string; Value: unknown }[] }).EnvironmentVariables.map((v) => [v.Name, v.Value]));
    expect(vars).toMatchObject({ NAMESPACE: 'shop-production', WORKLOAD_KIND: 'Rollout', WORKLOAD_NAME: 'gateway', ENVIRONMENT: 'production', KUBECTL_MINOR: '1.35' });
    expect(project.VpcConfig).toMatchObject({ SecurityGroupIds: [expect.anything()], Subnets: expect.arrayContaining([expect.anything()]) });
    const spec = JSON.parse((project.Source as { BuildSpec: string }).BuildSpec) as { phases: { build: { commands: string[] } } };
    const commands = spec.phases.build.commands.join('\n');
    expect(commands).toContain('aws eks update-kubeconfig --name "$CLUSTER_NAME" --role-arn "$DEPLOY_ROLE_ARN"');
    expect(commands).toContain(`kubectl -n "$NAMESPACE" patch rollout "$WORKLOAD_NAME" --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"'"$IMAGE"'"}]'`);
    // It waits for the rollout's verdict: Healthy passes, an abort (the analysis failed) fails the action.
    expect(commands).toContain('if [ "$ABORT" = true ] || [ "$PHASE" = Degraded ]; then');
    // The build may describe this cluster and assume the deploy role, nothing else of EKS.
    const statements = resourcesOf(pipeline, 'AWS::IAM::Policy').flatMap(([, p]) => (p.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'eks:DescribeCluster', Resource: expect.anything() }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'sts:AssumeRole', Resource: expect.anything() }));
    expect(statements.some((s) => JSON.stringify(s.Action).includes('eks:*'))).toBe(false);
  });

  it('reports where EKS differs from the model', () => {
    expect(result.warnings).toContain('environments.production.rollbackOn: on EKS the alarms roll back as Argo Rollouts AnalysisTemplates in the cluster; no CloudWatch alarm is created for them');
    // Without CloudWatch alarms AppConfig has nothing to watch: said, and no monitor names a missing alarm.
    expect(result.warnings).toContain('environments.production.rollbackOn: AppConfig does not watch gateway-p99 during flag deployments: the alarm is not created in this environment');
    const shared = Template.fromJSON(JSON.parse(fs.readFileSync(result.stacks.find((s) => s.name.endsWith('-shared'))!.templateFile, 'utf8')) as Record<string, unknown>);
    shared.resourcePropertiesCountIs('AWS::AppConfig::Environment', { Monitors: Match.anyValue() }, 0);
  });
});

describe('slipway synth aws: EKS options', () => {
  it('runs the services namespace on a Fargate profile when asked', () => {
    const app = resolveApp({ ...definition(), pipeline: undefined });
    const out = synthAws({ app, outDir: path.join(dir.path, 'fargate'), nag: true, eks: { capacity: 'fargate', analysisProvider: 'cloudwatch' } });
    expect(out.nagErrors).toEqual([]);
    const t = templateOf(out, 'shop-production');
    t.hasResourceProperties('AWS::EKS::FargateProfile', { Selectors: [{ Namespace: 'shop-production' }] });
    // CloudWatch analysis: the Argo Rollouts controller gets a role that may read metrics.
    const argo = resourcesOf(t, 'Custom::AWSCDK-EKS-HelmChart').find(([, p]) => p.Chart === 'argo-rollouts')!;
    expect(JSON.stringify(argo[1].Values)).toContain('eks.amazonaws.com/role-arn');
    expect(resourcesOf(t, 'AWS::IAM::Policy').flatMap(([, p]) => (p.PolicyDocument as { Statement: { Action: unknown }[] }).Statement).map((s) => s.Action)).toContainEqual('cloudwatch:GetMetricData');
  }, 120_000);

  it('rejects a service platform in an app with an EKS environment, naming the field', () => {
    const d = definition();
    d.services.catalog!.platform = 'apprunner';
    const validation = validateApp(d);
    expect(validation.ok).toBe(false);
    expect(validation.ok ? [] : validation.issues).toContainEqual({
      path: 'services.catalog.platform',
      message: '"apprunner" does not apply in environments.production, which runs every service on its EKS cluster (platform "eks"): leave the service\'s platform unset',
    });
  });
});
