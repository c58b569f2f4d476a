import { aws_xray as xray } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { limitName } from './model/names.js';

/** Options of {@link SlipwayEnvironmentTracing}. */
export interface SlipwayEnvironmentTracingProps {
  readonly app: string;
  readonly environment: string;
  /** Share of requests traced beyond the reservoir. @default 0.05 */
  readonly fixedRate?: number;
}

/**
 * X-Ray for one environment: a group filtering on the environment annotation the collector indexes
 * (`deployment_environment`), with Insights, and a sampling rule (one trace a second, then `fixedRate`).
 */
export class SlipwayEnvironmentTracing extends Construct {
  readonly group: xray.CfnGroup;
  readonly samplingRule: xray.CfnSamplingRule;

  constructor(scope: Construct, id: string, props: SlipwayEnvironmentTracingProps) {
    super(scope, id);
    const name = limitName(`${props.app}-${props.environment}`, 32);
    this.group = new xray.CfnGroup(this, 'Group', {
      groupName: name,
      filterExpression: `annotation.deployment_environment = "${props.environment}"`,
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
    });
    this.samplingRule = new xray.CfnSamplingRule(this, 'Sampling', {
      samplingRule: {
        ruleName: name,
        priority: 100,
        fixedRate: props.fixedRate ?? 0.05,
        reservoirSize: 1,
        serviceName: '*',
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}
