import { describe, expect, it } from 'vitest';
import { diffAssemblies, formatAssemblyDiff } from './diff-assemblies.js';
import type { AssemblyStack } from './read-assembly.js';

const stack = (stackName: string, resources: Record<string, { Type: string; Properties?: unknown }>): AssemblyStack => ({ stackName, templateFile: `${stackName}.template.json`, template: { Resources: resources } });

describe('diffAssemblies', () => {
  it('reports added, removed and changed resources by logical id and type, and whole stacks', () => {
    // GIVEN an assembly with a queue and a topic, and a new one where the topic changed and a bucket appeared
    const before = [stack('app-a', { Q: { Type: 'AWS::SQS::Queue' }, T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'x' } } }), stack('app-old', {})];
    const after = [stack('app-a', { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'y' } }, B: { Type: 'AWS::S3::Bucket' } }), stack('app-new', {})];
    // WHEN compared
    const diff = diffAssemblies(before, after);
    // THEN every difference is named
    expect(diff.stacksAdded).toEqual(['app-new']);
    expect(diff.stacksRemoved).toEqual(['app-old']);
    expect(diff.changes).toEqual([
      { stackName: 'app-a', logicalId: 'B', type: 'AWS::S3::Bucket', change: 'Added', keys: [] },
      { stackName: 'app-a', logicalId: 'Q', type: 'AWS::SQS::Queue', change: 'Removed', keys: [] },
      { stackName: 'app-a', logicalId: 'T', type: 'AWS::SNS::Topic', change: 'Changed', keys: ['Properties.TopicName'] },
    ]);
    expect(formatAssemblyDiff(diff)).toBe(
      ['+ stack app-new', '- stack app-old', 'app-a', '  + AWS::S3::Bucket B', '  - AWS::SQS::Queue Q', '  ~ AWS::SNS::Topic T (Properties.TopicName)', '1 added, 1 removed, 1 changed'].join('\n'),
    );
  });

  it('says so when nothing differs', () => {
    const same = [stack('s', { Q: { Type: 'AWS::SQS::Queue' } })];
    expect(formatAssemblyDiff(diffAssemblies(same, same))).toBe('no differences');
  });
});
