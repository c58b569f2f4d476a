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
 * version holding the flags in AppConfig's feature-flag format, deployed all at once to every environment.
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
    this.configuration = new appconfig.HostedConfiguration(this, 'Flags', {
      application: this.application,
      name: 'flags',
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson(JSON.stringify(appConfigFlagDocument(app.flags), null, 2)),
      deploymentStrategy: appconfig.DeploymentStrategy.fromDeploymentStrategyId(this, 'AllAtOnce', appconfig.DeploymentStrategyId.ALL_AT_ONCE),
      deployTo: Object.values(environments),
    });
  }
}
