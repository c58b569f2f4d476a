import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveApp, type AppDefinition } from '../../shared/index.js';
import { SlipwayFeatureFlags } from './feature-flags.js';

const appWith = (flags: AppDefinition['flags']) =>
  resolveApp({
    name: 'shop',
    services: { web: { path: 'web', start: 'node s.js' } },
    environments: { dev: { ingressPort: 8082 }, staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
    flags,
  });

function synth(app: ReturnType<typeof resolveApp>, monitored: Record<string, string[]> = {}) {
  const stack = new Stack(new App(), 'Flags', { env: { account: '111122223333', region: 'eu-west-1' } });
  const flags = new SlipwayFeatureFlags(stack, 'FeatureFlags', { app });
  for (const [env, alarms] of Object.entries(monitored)) flags.monitorAlarms(env, alarms);
  return Template.fromStack(stack);
}

const rolloutApp = () =>
  resolveApp({
    name: 'shop',
    services: { web: { path: 'web', start: 'node s.js' } },
    alarms: {
      'web-5xx': { metric: 'http.5xx', service: 'web', threshold: 5 },
      'web-p99': { metric: 'http.latency.p99', service: 'web', threshold: 500 },
    },
    environments: {
      dev: { ingressPort: 8082 },
      staging: { ingressPort: 8081, strategy: { type: 'linear', percent: 20, every: '6m' } },
      production: { ingressPort: 8080, strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }, rollbackOn: ['web-5xx', 'web-p99'] },
    },
    flags: { newCheckout: { default: false } },
  });

type Resources = Record<string, { Properties: Record<string, unknown> }>;

describe('SlipwayFeatureFlags', () => {
  it('deploys one version to every environment when no environment overrides a flag', () => {
    const t = synth(appWith({ newCheckout: { default: false, rules: [{ percentage: 10, value: true }] } }));
    t.resourceCountIs('AWS::AppConfig::HostedConfigurationVersion', 1);
    t.resourceCountIs('AWS::AppConfig::Deployment', 3);
  });

  it('deploys each environment its own definition: environments with equal documents share a version', () => {
    // GIVEN production overriding the rules WHEN synthesized THEN two versions of the one profile
    const t = synth(appWith({ newCheckout: { default: false, rules: [{ percentage: 10, value: true }], environments: { production: { rules: [{ percentage: 50, stickiness: 'accountId', value: true }] } } } }));
    t.resourceCountIs('AWS::AppConfig::ConfigurationProfile', 1);
    const versions = Object.values(t.findResources('AWS::AppConfig::HostedConfigurationVersion') as Resources);
    expect(versions).toHaveLength(2);
    const rules = versions.map((v) => (JSON.parse(String(v.Properties.Content)) as { values: { newCheckout: { _variants: { rule?: string }[] } } }).values.newCheckout._variants[0]!.rule);
    expect(rules.sort()).toEqual(['(split by::$accountId pct::50)', '(split by::$targetingKey pct::10)']);
    // THEN three deployments: dev and staging get the first version, production the other
    const deployments = Object.values(t.findResources('AWS::AppConfig::Deployment') as Resources);
    expect(deployments).toHaveLength(3);
    const production = deployments.filter((d) => JSON.stringify(d.Properties.EnvironmentId).includes('EnvProduction'));
    expect(production).toHaveLength(1);
    expect(JSON.stringify(production[0]!.Properties.ConfigurationVersion)).toContain('FlagsProduction');
  });

  it("deploys each environment with a deployment strategy derived from the environment's strategy", () => {
    // GIVEN dev all at once, staging linear 20% every 6m, production a canary 5→25→50→100 every 30s
    const t = synth(rolloutApp());
    // THEN one AppConfig deployment strategy per environment, none shared with another, nothing replicated
    t.resourceCountIs('AWS::AppConfig::DeploymentStrategy', 3);
    const strategies = t.findResources('AWS::AppConfig::DeploymentStrategy') as Resources;
    const of = (env: string) => Object.entries(strategies).find(([id]) => id.includes(`Strategy${env}`))![1].Properties;
    expect(of('Dev')).toMatchObject({ GrowthType: 'LINEAR', GrowthFactor: 100, DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 0, ReplicateTo: 'NONE' });
    expect(of('Staging')).toMatchObject({ GrowthType: 'LINEAR', GrowthFactor: 20, DeploymentDurationInMinutes: 30, FinalBakeTimeInMinutes: 0, ReplicateTo: 'NONE' });
    expect(of('Production')).toMatchObject({ Name: 'shop-production-flags', GrowthType: 'LINEAR', GrowthFactor: 5, DeploymentDurationInMinutes: 2, FinalBakeTimeInMinutes: 0, ReplicateTo: 'NONE' });
    // THEN each environment's deployment names its own strategy
    const deployments = Object.entries(t.findResources('AWS::AppConfig::Deployment') as Resources);
    expect(deployments).toHaveLength(3);
    for (const env of ['Dev', 'Staging', 'Production']) {
      const [, deployment] = deployments.find(([id]) => id.includes(`Deploy${env}`))!;
      expect(JSON.stringify(deployment.Properties.EnvironmentId)).toContain(`Env${env}`);
      expect(JSON.stringify(deployment.Properties.DeploymentStrategyId)).toContain(`Strategy${env}`);
    }
  });

  it('watches the rollback alarms in AppConfig with a role that may only describe them', () => {
    // GIVEN production rolling back on web-5xx and web-p99 WHEN its alarms are monitored
    const t = synth(rolloutApp(), { production: ['web-5xx', 'web-p99'], dev: [] });
    const arnOf = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:eu-west-1:111122223333:alarm:${name}`]] });
    // THEN the production environment monitors both alarms, each through the role
    const roleArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmRoleProduction'), 'Arn'] };
    t.hasResourceProperties('AWS::AppConfig::Environment', {
      Name: 'production',
      Monitors: [
        { AlarmArn: arnOf('shop-production-web-5xx'), AlarmRoleArn: roleArn },
        { AlarmArn: arnOf('shop-production-web-p99'), AlarmRoleArn: roleArn },
      ],
    });
    // THEN AppConfig may assume the role, and it may only describe those two alarms
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'appconfig.amazonaws.com' } })] },
      Policies: [{ PolicyName: 'DescribeAlarms', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: [arnOf('shop-production-web-5xx'), arnOf('shop-production-web-p99')] }] } }],
    });
    // THEN environments without rollback alarms have no monitors
    for (const name of ['dev', 'staging']) {
      t.hasResourceProperties('AWS::AppConfig::Environment', { Name: name, Monitors: Match.absent() });
    }
  });
});
