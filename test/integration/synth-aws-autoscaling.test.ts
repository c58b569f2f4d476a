import fs from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveApp } from '../../src/shared/index.js';
import { synthAws, type SynthAwsResult } from '../../src/synth/index.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('slipway-synth-autoscaling-');
afterAll(() => dir.cleanup());

/** Every resource of a type in a template, as `[logicalId, properties]`. */
function resourcesOf(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r as { Properties?: Record<string, unknown> }).Properties ?? {}]);
}

describe('slipway synth aws: scheduled, custom-metric and step scaling, metric math alarms', () => {
  let result: SynthAwsResult;
  let prod: Template;

  beforeAll(() => {
    const app = resolveApp({
      name: 'scaled',
      services: {
        worker: {
          path: 'worker',
          start: 'node worker.js',
          ingress: { pathPrefix: '/' },
          scaling: {
            min: 1,
            max: 6,
            schedules: [{ name: 'office-hours', schedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris', minTasks: 3 }, { name: 'night', schedule: 'cron(0 20 ? * * *)', timezone: 'Europe/Paris', minTasks: 1, maxTasks: 2 }],
            targets: [{ metrics: { backlog: { metric: 'queue.backlog', stat: 'Maximum' }, workers: { metric: 'RunningTaskCount', stat: 'Average' } }, expression: 'backlog / workers', target: 100 }],
          },
        },
      },
      environments: { prod: { ingressPort: 8080 } },
      alarms: {
        'worker-error-rate': {
          service: 'worker',
          metrics: { errors: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' }, requests: { metric: 'RequestCount', stat: 'Sum' } },
          expression: 'errors / requests * 100',
          threshold: 5,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          actions: [{ type: 'scale', service: 'worker', adjustments: [{ lowerBound: 0, upperBound: 10, change: '+50%' }, { lowerBound: 10, change: '+100%' }], cooldown: '2m', minAdjustmentMagnitude: 2 }],
        },
      },
    });
    result = synthAws({ app, outDir: path.join(dir.path, 'out') });
    const stack = result.stacks.find((s) => s.name === 'scaled-prod')!;
    prod = Template.fromJSON(JSON.parse(fs.readFileSync(stack.templateFile, 'utf8')) as Record<string, unknown>);
  }, 120_000);

  it('synthesizes each schedule as a scheduled action with its time zone', () => {
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1,
      MaxCapacity: 6,
      ScheduledActions: [
        { ScheduledActionName: 'OfficeHours', Schedule: 'cron(0 8 ? * MON-FRI *)', Timezone: 'Europe/Paris', ScalableTargetAction: { MinCapacity: 3 } },
        { ScheduledActionName: 'Night', Schedule: 'cron(0 20 ? * * *)', Timezone: 'Europe/Paris', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 2 } },
      ],
    });
  });

  it('synthesizes a custom target as target tracking with a CustomizedMetricSpecification over metric math', () => {
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 100,
        CustomizedMetricSpecification: {
          Metrics: [
            { Id: 'backlog', ReturnData: false, MetricStat: { Metric: { Namespace: Match.stringLikeRegexp('scaled'), MetricName: 'queue.backlog', Dimensions: Match.arrayWith([{ Name: 'service.name', Value: 'worker' }]) }, Stat: 'Maximum' } },
            { Id: 'workers', ReturnData: false, MetricStat: { Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: Match.arrayWith([{ Name: 'ServiceName', Value: 'scaled-prod-worker' }]) }, Stat: 'Average' } },
            { Id: 'result', ReturnData: true, Expression: 'backlog / workers', Label: 'backlog / workers' },
          ],
        },
      }),
    });
  });

  it('synthesizes a metric math alarm and its scale action as a step scaling policy the alarm invokes', () => {
    const [[policyId]] = resourcesOf(prod, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, p]) => p.PolicyType === 'StepScaling') as [[string, Record<string, unknown>]];
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'scaled-prod-worker-worker-error-rate-0',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'PercentChangeInCapacity',
        Cooldown: 120,
        MinAdjustmentMagnitude: 2,
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 50 },
          { MetricIntervalLowerBound: 10, ScalingAdjustment: 100 },
        ],
      },
    });
    const [[, alarm]] = resourcesOf(prod, 'AWS::CloudWatch::Alarm').filter(([, p]) => String(p.AlarmName).includes('worker-error-rate')) as [[string, Record<string, unknown>]];
    expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [{ Ref: policyId }] });
    const metrics = alarm.Metrics as { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics.find((m) => m.ReturnData !== false)).toMatchObject({ Expression: 'errors / requests * 100' });
    expect(metrics.filter((m) => m.MetricStat !== undefined).map((m) => m.MetricStat!.Metric.MetricName).sort()).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
  });
});
