import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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

function synth(app: ReturnType<typeof resolveApp>) {
  const stack = new Stack(new App(), 'Flags');
  new SlipwayFeatureFlags(stack, 'FeatureFlags', { app });
  return Template.fromStack(stack);
}

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
});
