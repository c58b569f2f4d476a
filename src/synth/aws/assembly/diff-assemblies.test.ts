import { describe, expect, it } from 'vitest';
import { diffAssemblies, diffTemplates } from './diff-assemblies.js';
import { formatAssemblyDiff } from './format-assembly-diff.js';
import type { AssemblyStack, TemplateJson } from './read-assembly.js';

type Resources = NonNullable<TemplateJson['Resources']>;
const stack = (stackName: string, resources: Resources): AssemblyStack => ({ stackName, templateFile: `${stackName}.template.json`, template: { Resources: resources } });

describe('diffTemplates: the effect of a property change', () => {
  // One row per property change; `replacement` is what CloudFormation's resource reference says.
  it.each([
    ['AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/' }, { Port: 9090, HealthCheckPath: '/' }, 'Properties.Port', 'replacement'],
    ['AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/' }, { Port: 8080, HealthCheckPath: '/healthz' }, 'Properties.HealthCheckPath', 'in-place'],
    ['AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: 'a', Port: 80 }, { LoadBalancerArn: 'b', Port: 80 }, 'Properties.LoadBalancerArn', 'replacement'],
    ['AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: 'a', Port: 80 }, { LoadBalancerArn: 'a', Port: 443 }, 'Properties.Port', 'in-place'],
    ['AWS::ECS::Service', { ServiceName: 'a', DesiredCount: 2 }, { ServiceName: 'b', DesiredCount: 2 }, 'Properties.ServiceName', 'replacement'],
    ['AWS::ECS::Service', { DeploymentController: { Type: 'ECS' } }, { DeploymentController: { Type: 'CODE_DEPLOY' } }, 'Properties.DeploymentController.Type', 'replacement'],
    ['AWS::ECS::Service', { ServiceName: 'a', DesiredCount: 2 }, { ServiceName: 'a', DesiredCount: 3 }, 'Properties.DesiredCount', 'in-place'],
    ['AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Image: 'a:1' }] }, { ContainerDefinitions: [{ Image: 'a:2' }] }, 'Properties.ContainerDefinitions.0.Image', 'replacement'],
    ['AWS::ECS::TaskDefinition', { Tags: [{ Key: 'k', Value: '1' }] }, { Tags: [{ Key: 'k', Value: '2' }] }, 'Properties.Tags.0.Value', 'in-place'],
    ['AWS::SNS::Topic', { TopicName: 'a' }, { TopicName: 'b' }, 'Properties.TopicName', 'replacement'],
    ['AWS::SNS::Topic', { DisplayName: 'a' }, { DisplayName: 'b' }, 'Properties.DisplayName', 'in-place'],
    ['AWS::CloudWatch::Alarm', { AlarmName: 'a', Threshold: 5 }, { AlarmName: 'b', Threshold: 5 }, 'Properties.AlarmName', 'replacement'],
    ['AWS::CloudWatch::Alarm', { AlarmName: 'a', Threshold: 5 }, { AlarmName: 'a', Threshold: 9 }, 'Properties.Threshold', 'in-place'],
    ['AWS::Logs::LogGroup', { LogGroupName: '/a' }, { LogGroupName: '/b' }, 'Properties.LogGroupName', 'replacement'],
    ['AWS::EC2::SecurityGroupIngress', { FromPort: 80, Description: 'x' }, { FromPort: 81, Description: 'x' }, 'Properties.FromPort', 'replacement'],
    ['AWS::EC2::SecurityGroupIngress', { FromPort: 80, Description: 'x' }, { FromPort: 80, Description: 'y' }, 'Properties.Description', 'in-place'],
    ['Custom::Unknown', { Anything: 1 }, { Anything: 2 }, 'Properties.Anything', 'replacement'],
  ])('%s %s → %s: %s is %s', (Type, before, after, path, effect) => {
    // GIVEN one resource whose properties change WHEN diffed THEN the path and its effect are CloudFormation's
    const [change] = diffTemplates({ Resources: { R: { Type, Properties: before } } }, { Resources: { R: { Type, Properties: after } } });
    expect(change).toMatchObject({ resourceId: 'R', type: Type, action: 'Modify', effect, order: 1 });
    expect(change?.attributes.map((a) => [a.path, a.effect])).toEqual([[path, effect]]);
  });

  it('treats a change of type as a replacement and DependsOn or DeletionPolicy as in place, ignoring Metadata', () => {
    const changes = diffTemplates(
      { Resources: { A: { Type: 'AWS::SNS::Topic', Metadata: { x: 1 } }, B: { Type: 'AWS::SNS::Topic' } } },
      { Resources: { A: { Type: 'AWS::SQS::Queue', Metadata: { x: 2 } }, B: { Type: 'AWS::SNS::Topic', DependsOn: ['A'], DeletionPolicy: 'Retain' } } },
    );
    expect(changes.map((c) => [c.resourceId, c.effect, c.attributes.map((a) => `${a.path} ${a.effect}`)])).toEqual([
      ['A', 'replacement', ['Type replacement']],
      ['B', 'in-place', ['DeletionPolicy in-place', 'DependsOn in-place']],
    ]);
  });
});

describe('diffTemplates: resources that follow a replacement, and apply order', () => {
  const before: Resources = {
    Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'web', ContainerDefinitions: [{ Environment: [{ Name: 'A', Value: '1' }] }] } },
    Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, ServiceName: 'web' } },
    Target: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { ResourceId: { 'Fn::Sub': 'service/c/${Service.Name}' }, MinCapacity: 1 } },
    OldTopic: { Type: 'AWS::SNS::Topic' },
    OldSub: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'OldTopic' } } },
  };
  const { OldTopic: _topic, OldSub: _sub, ...kept } = before;
  const after: Resources = {
    ...kept,
    Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'web', ContainerDefinitions: [{ Environment: [{ Name: 'A', Value: '2' }] }] } },
    Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, ServiceName: 'web2' } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Dimensions: [{ Value: { 'Fn::GetAtt': ['Service', 'Name'] } }], Threshold: 1 } },
  };

  it('lists a property that refers to a replaced resource with the referring property effect', () => {
    const changes = diffTemplates({ Resources: before }, { Resources: after });
    const target = changes.find((c) => c.resourceId === 'Target');
    // The service is replaced (new name), so the scalable target's ResourceId names a new service: replaced too.
    expect(target).toMatchObject({ action: 'Modify', effect: 'replacement', attributes: [{ path: 'Properties.ResourceId', effect: 'replacement' }] });
    const service = changes.find((c) => c.resourceId === 'Service');
    expect(service?.attributes.map((a) => `${a.path} ${a.effect}`)).toEqual(['Properties.ServiceName replacement', 'Properties.TaskDefinition in-place']);
  });

  it('orders additions and changes after what they depend on, then removals dependents first', () => {
    const changes = diffTemplates({ Resources: before }, { Resources: after });
    expect(changes.map((c) => `${c.order} ${c.action} ${c.resourceId}`)).toEqual(['1 Modify Task', '2 Modify Service', '3 Add Alarm', '4 Modify Target', '5 Remove OldSub', '6 Remove OldTopic']);
    const added = changes.find((c) => c.resourceId === 'Alarm');
    expect(added?.attributes).toEqual([
      { path: 'Properties.Dimensions', old: undefined, new: [{ Value: { 'Fn::GetAtt': ['Service', 'Name'] } }], effect: 'in-place' },
      { path: 'Properties.Threshold', old: undefined, new: 1, effect: 'in-place' },
    ]);
  });
});

describe('diffAssemblies and formatAssemblyDiff', () => {
  it('reports each stack as a change set and prints it as a plan does', () => {
    // GIVEN a stack whose topic is renamed, whose alarm threshold rises and which gains a bucket; one stack goes, one comes
    const previous = [
      stack('app-a', { Q: { Type: 'AWS::SQS::Queue' }, T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'x' } }, Al: { Type: 'AWS::CloudWatch::Alarm', Properties: { Threshold: 5 } } }),
      stack('app-old', { Q: { Type: 'AWS::SQS::Queue' } }),
    ];
    const next = [
      stack('app-a', { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'y' } }, B: { Type: 'AWS::S3::Bucket' }, Al: { Type: 'AWS::CloudWatch::Alarm', Properties: { Threshold: 9 } } }),
      stack('app-new', { B: { Type: 'AWS::S3::Bucket' } }),
    ];
    // WHEN compared
    const diff = diffAssemblies(previous, next);
    // THEN the change sets name each resource, action, path and effect
    expect(diff.stacks.map((s) => [s.stackName, s.action, s.changes.length])).toEqual([
      ['app-a', 'Modify', 4],
      ['app-new', 'Add', 1],
      ['app-old', 'Remove', 1],
    ]);
    expect(diff.stacks[0]!.changes.find((c) => c.resourceId === 'T')).toEqual({
      resourceId: 'T',
      type: 'AWS::SNS::Topic',
      action: 'Modify',
      effect: 'replacement',
      attributes: [{ path: 'Properties.TopicName', old: 'x', new: 'y', effect: 'replacement' }],
      order: 3,
    });
    expect(formatAssemblyDiff(diff)).toBe(
      [
        '~ app-a',
        '    1. ~ Al AWS::CloudWatch::Alarm (Modify, in-place)',
        '         Properties.Threshold: 5 → 9',
        '    2. + B AWS::S3::Bucket (Add, in-place)',
        '    3. ~ T AWS::SNS::Topic (Modify, replacement)',
        '         Properties.TopicName: "x" → "y" (replacement)',
        '    4. - Q AWS::SQS::Queue (Remove, in-place)',
        '+ app-new (1 resource)',
        '- app-old (1 resource)',
        'Plan: 2 to add, 2 to change (1 replacement), 2 to remove.',
      ].join('\n'),
    );
  });

  it('says so when nothing differs', () => {
    const same = [stack('s', { Q: { Type: 'AWS::SQS::Queue' } })];
    expect(diffAssemblies(same, same)).toEqual({ stacks: [] });
    expect(formatAssemblyDiff(diffAssemblies(same, same))).toBe('no differences');
  });
});
