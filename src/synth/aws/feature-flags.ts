import { ArnFormat, Duration, Stack, aws_appconfig as appconfig, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedApp } from '../../shared/index.js';
import { appConfigFlagDocument } from './model/flag-document.js';
import { appConfigRollout } from './model/flag-rollout-strategy.js';
import { alarmName, limitName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayFeatureFlags}. */
export interface SlipwayFeatureFlagsProps {
  /** The resolved app model; its `flags` become the configuration, its environments AppConfig environments. */
  readonly app: ResolvedApp;
  /** Where differences between an environment's strategy and AppConfig's deployment strategy are reported. @default not reported */
  readonly warnings?: SynthWarnings;
}

/**
 * The model's feature flags as AWS AppConfig: one application, one AppConfig environment per slipway
 * environment, a configuration profile of type `AWS.AppConfig.FeatureFlags` and a hosted configuration
 * version holding the flags in AppConfig's feature-flag format. Each environment gets its own definitions
 * (`flags.<key>.environments.<env>` merged in): environments whose documents are equal share one version,
 * and every other document is one more version of the same profile, so clients read the profile `flags`
 * everywhere. Each environment's deployment uses a deployment strategy derived from the environment's
 * `strategy` (see {@link appConfigRollout}); {@link monitorAlarms} makes it roll back on alarms.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` for a rule AppConfig cannot express (a semver comparison)
 */
export class SlipwayFeatureFlags extends Construct {
  /** The AppConfig application (named after the app). */
  readonly application: appconfig.Application;
  /** AppConfig environments by slipway environment name. */
  readonly environments: Readonly<Record<string, appconfig.Environment>>;
  /** AppConfig deployment strategies by slipway environment name. */
  readonly deploymentStrategies: Readonly<Record<string, appconfig.DeploymentStrategy>>;
  /** The feature-flag configuration profile and its hosted version. */
  readonly configuration: appconfig.HostedConfiguration;
  /** The roles AppConfig assumes to read the alarms it watches, by slipway environment name. */
  readonly alarmRoles: Readonly<Record<string, iam.Role>>;
  private readonly appName: string;
  private readonly roles: Record<string, iam.Role> = {};

  constructor(scope: Construct, id: string, props: SlipwayFeatureFlagsProps) {
    super(scope, id);
    const { app } = props;
    this.appName = app.name;
    this.alarmRoles = this.roles;
    this.application = new appconfig.Application(this, 'Application', { applicationName: app.name, description: `slipway feature flags of ${app.name}` });
    const environments: Record<string, appconfig.Environment> = {};
    const strategies: Record<string, appconfig.DeploymentStrategy> = {};
    for (const [env, environment] of Object.entries(app.environments)) {
      environments[env] = new appconfig.Environment(this, `Env${pascalCase(env)}`, { application: this.application, environmentName: env });
      const rollout = appConfigRollout(environment.strategy);
      for (const difference of rollout.differences) props.warnings?.add(`environments.${env}.strategy`, `flags: ${difference}`);
      strategies[env] = new appconfig.DeploymentStrategy(this, `Strategy${pascalCase(env)}`, {
        deploymentStrategyName: limitName(`${app.name}-${env}-flags`, 64),
        description: `slipway ${app.name}: flag rollouts in ${env} (its ${environment.strategy.kind} strategy)`,
        rolloutStrategy: appconfig.RolloutStrategy.linear({
          growthFactor: rollout.growthFactor,
          deploymentDuration: Duration.minutes(rollout.deploymentDurationMinutes),
          finalBakeTime: Duration.minutes(rollout.finalBakeTimeMinutes),
        }),
      });
    }
    this.environments = environments;
    this.deploymentStrategies = strategies;
    // One document per distinct definition, in environment order; the first is the L2 construct's version.
    const documents = new Map<string, string[]>();
    for (const env of Object.keys(app.environments)) {
      const json = JSON.stringify(appConfigFlagDocument(app.flagsByEnvironment[env] ?? app.flags, { environment: env }), null, 2);
      documents.set(json, [...(documents.get(json) ?? []), env]);
    }
    const [first, ...others] = documents.size === 0 ? [[JSON.stringify(appConfigFlagDocument(app.flags), null, 2), []] as const] : [...documents.entries()];
    this.configuration = new appconfig.HostedConfiguration(this, 'Flags', {
      application: this.application,
      name: 'flags',
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson(first![0]),
      // Unused (each environment's deployment below names its own); given so the construct creates none.
      deploymentStrategy: appconfig.DeploymentStrategy.fromDeploymentStrategyId(this, 'AllAtOnce', appconfig.DeploymentStrategyId.ALL_AT_ONCE),
      deployTo: [],
    });
    const deploy = (envs: readonly string[], versionNumber: string) => {
      for (const env of envs) {
        new appconfig.CfnDeployment(this, `Deploy${pascalCase(env)}`, {
          applicationId: this.application.applicationId,
          environmentId: environments[env]!.environmentId,
          configurationProfileId: this.configuration.configurationProfileId,
          configurationVersion: versionNumber,
          deploymentStrategyId: strategies[env]!.deploymentStrategyId,
        });
      }
    };
    deploy(first![1], this.configuration.versionNumber!);
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
      deploy(envs, version.attrVersionNumber);
    }
  }

  /**
   * Makes AppConfig watch these alarms (model names, as `SlipwayEnvironmentAlarms` names them
   * `<app>-<env>-<alarm>`) while it deploys the flags to `environment`, and roll the deployment back
   * when one goes into ALARM. AppConfig reads them through a role of its own that may only call
   * `cloudwatch:DescribeAlarms` on them. The ARNs are built from the names, so this stack does not
   * depend on the environment stack that creates the alarms. Once per environment; no alarms: no monitors.
   */
  monitorAlarms(environment: string, alarms: readonly string[]): void {
    const target = this.environments[environment];
    if (target === undefined) throw new Error(`no AppConfig environment ${environment}`);
    if (this.roles[environment] !== undefined) throw new Error(`the alarms AppConfig watches in ${environment} are set already`);
    if (alarms.length === 0) return;
    const stack = Stack.of(this);
    const arns = [...new Set(alarms)].map((alarm) =>
      stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: alarmName(this.appName, environment, alarm), arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    const role = new iam.Role(this, `AlarmRole${pascalCase(environment)}`, {
      assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com'),
      description: `slipway ${this.appName}: AppConfig reads the rollback alarms of ${environment}`,
      inlinePolicies: { DescribeAlarms: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: arns })] }) },
    });
    this.roles[environment] = role;
    const cfn = target.node.defaultChild as appconfig.CfnEnvironment;
    cfn.monitors = arns.map((alarmArn) => ({ alarmArn, alarmRoleArn: role.roleArn }));
  }
}
