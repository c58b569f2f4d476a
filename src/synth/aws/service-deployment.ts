import type { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { Duration, aws_codedeploy as codedeploy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CodeDeployConfig } from './model/deployment-plan.js';
import type { SlipwayService } from './slipway-service.js';

/** Options of {@link SlipwayServiceDeployment}. */
export interface SlipwayServiceDeploymentProps {
  /** The environment's CodeDeploy application. */
  readonly application: codedeploy.IEcsApplication;
  /** The deployment configuration (predefined, or the environment's custom one). */
  readonly deploymentConfig: codedeploy.IEcsDeploymentConfig;
  readonly service: SlipwayService;
  /** Deployment group name (the service's name). */
  readonly name: string;
  /** The environment's `rollbackOn` alarms: CodeDeploy stops and rolls back when one goes to ALARM. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Minutes the original task set keeps running after the shift. */
  readonly terminationWaitMinutes: number;
}

/**
 * The CodeDeploy deployment group of a service under blue/green, canary or linear: blue and green target
 * groups, the production listener and (when there is one) the test listener, the `rollbackOn` alarms,
 * and automatic rollback on `DEPLOYMENT_FAILURE` and `DEPLOYMENT_STOP_ON_ALARM`.
 */
export class SlipwayServiceDeployment extends Construct {
  readonly deploymentGroup: codedeploy.EcsDeploymentGroup;

  constructor(scope: Construct, id: string, props: SlipwayServiceDeploymentProps) {
    super(scope, id);
    const [blue, green] = props.service.targetGroups;
    if (blue === undefined || green === undefined) throw new Error('a CodeDeploy deployment needs two target groups');
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'Group', {
      application: props.application,
      deploymentGroupName: props.name,
      service: props.service.service,
      deploymentConfig: props.deploymentConfig,
      alarms: [...props.alarms],
      autoRollback: { failedDeployment: true, deploymentInAlarm: props.alarms.length > 0, stoppedDeployment: false },
      blueGreenDeploymentConfig: {
        blueTargetGroup: blue,
        greenTargetGroup: green,
        listener: props.service.listener,
        testListener: props.service.testListener,
        terminationWaitTime: Duration.minutes(props.terminationWaitMinutes),
      },
    });
  }
}

/** The CDK deployment configuration of a plan's CodeDeploy configuration (custom ones are created in `scope`). */
export function ecsDeploymentConfig(scope: Construct, config: CodeDeployConfig): codedeploy.IEcsDeploymentConfig {
  switch (config.kind) {
    case 'Predefined':
      return PREDEFINED[config.name];
    case 'Canary':
      return new codedeploy.EcsDeploymentConfig(scope, 'DeploymentConfig', {
        trafficRouting: new codedeploy.TimeBasedCanaryTrafficRouting({ percentage: config.percentage, interval: Duration.minutes(config.intervalMinutes) }),
      });
    case 'Linear':
      return new codedeploy.EcsDeploymentConfig(scope, 'DeploymentConfig', {
        trafficRouting: new codedeploy.TimeBasedLinearTrafficRouting({ percentage: config.percentage, interval: Duration.minutes(config.intervalMinutes) }),
      });
  }
}

const PREDEFINED = {
  'CodeDeployDefault.ECSAllAtOnce': codedeploy.EcsDeploymentConfig.ALL_AT_ONCE,
  'CodeDeployDefault.ECSCanary10Percent5Minutes': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'CodeDeployDefault.ECSCanary10Percent15Minutes': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTES,
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
} as const;
