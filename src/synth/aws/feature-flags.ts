import { aws_appconfig as appconfig } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedApp } from '../../shared/index.js';
import { appConfigFlagDocument } from './model/flag-document.js';
import { pascalCase } from './model/names.js';

/** Options of {@link SlipwayFeatureFlags}. */
export interface SlipwayFeatureFlagsProps {
  /** The resolved app model; its `flags` become the configuration, its environments AppConfig environments. */
  readonly app: ResolvedApp;
}

/**
 * The model's feature flags as AWS AppConfig: one application, one AppConfig environment per slipway
 * environment, a configuration profile of type `AWS.AppConfig.FeatureFlags` and a hosted configuration
 * version holding the flags in AppConfig's feature-flag format, deployed all at once. Each environment
 * gets its own definitions (`flags.<key>.environments.<env>` merged in): environments whose documents
 * are equal share one version, and every other document is one more version of the same profile,
 * deployed to its environments, so clients read the profile `flags` everywhere.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` for a rule AppConfig cannot express (a semver comparison)
 */
export class SlipwayFeatureFlags extends Construct {
  /** The AppConfig application (named after the app). */
  readonly application: appconfig.Application;
  /** AppConfig environments by slipway environment name. */
  readonly environments: Readonly<Record<string, appconfig.Environment>>;
  /** The feature-flag configuration profile and its hosted version. */
  readonly configuration: appconfig.HostedConfiguration;

  constructor(scope: Construct, id: string, props: SlipwayFeatureFlagsProps) {
    super(scope, id);
    const { app } = props;
    this.application = new appconfig.Application(this, 'Application', { applicationName: app.name, description: `slipway feature flags of ${app.name}` });
    const environments: Record<string, appconfig.Environment> = {};
    for (const env of Object.keys(app.environments)) {
      environments[env] = new appconfig.Environment(this, `Env${pascalCase(env)}`, { application: this.application, environmentName: env });
    }
    this.environments = environments;
    // One document per distinct definition, in environment order; the first is the L2 construct's version.
    const documents = new Map<string, string[]>();
    for (const env of Object.keys(app.environments)) {
      const json = JSON.stringify(appConfigFlagDocument(app.flagsByEnvironment[env] ?? app.flags, { environment: env }), null, 2);
      documents.set(json, [...(documents.get(json) ?? []), env]);
    }
    const [first, ...others] = documents.size === 0 ? [[JSON.stringify(appConfigFlagDocument(app.flags), null, 2), []] as const] : [...documents.entries()];
    const strategy = appconfig.DeploymentStrategy.fromDeploymentStrategyId(this, 'AllAtOnce', appconfig.DeploymentStrategyId.ALL_AT_ONCE);
    this.configuration = new appconfig.HostedConfiguration(this, 'Flags', {
      application: this.application,
      name: 'flags',
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson(first![0]),
      deploymentStrategy: strategy,
      deployTo: first![1].map((env) => environments[env]!),
    });
    let previous: Construct = this.configuration;
    for (const [json, envs] of others) {
      const id = envs.map(pascalCase).join('');
      const version = new appconfig.CfnHostedConfigurationVersion(this, `Flags${id}`, {
        applicationId: this.application.applicationId,
        configurationProfileId: this.configuration.configurationProfileId,
        content: json,
        contentType: 'application/json',
      });
      // AppConfig creates one version of a profile at a time.
      version.node.addDependency(previous);
      previous = version;
      for (const env of envs) {
        new appconfig.CfnDeployment(this, `Deploy${pascalCase(env)}`, {
          applicationId: this.application.applicationId,
          environmentId: environments[env]!.environmentId,
          configurationProfileId: this.configuration.configurationProfileId,
          configurationVersion: version.attrVersionNumber,
          deploymentStrategyId: strategy.deploymentStrategyId,
        });
      }
    }
  }
}
