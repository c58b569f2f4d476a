import { describe, expect, it } from 'vitest';
import { DEPLOY_PERMISSIONS, deployPermissions } from './deploy-permissions.js';

describe('deployPermissions', () => {
  it('grants the actions of the declared types only, IAM apart, and names the types it does not know', () => {
    // GIVEN a template with a task definition, a log group and a type slipway never synthesizes
    const p = deployPermissions(['AWS::ECS::TaskDefinition', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::ECS::TaskDefinition']);
    // THEN the ECS and Logs actions are there, once; the IAM ones are kept apart for scoping; SQS is reported
    expect(p.actions).toContain('ecs:RegisterTaskDefinition');
    expect(p.actions).toContain('logs:CreateLogGroup');
    expect(p.actions.filter((a) => a === 'ecs:RegisterTaskDefinition')).toHaveLength(1);
    expect(p.actions.some((a) => a.startsWith('ecs:CreateService') || a.startsWith('iam:') || a.startsWith('sqs:'))).toBe(false);
    expect(p.iamActions).toEqual(['iam:GetRole', 'iam:PassRole']);
    expect(p.unknown).toEqual(['AWS::SQS::Queue']);
  });

  it('has no wildcard action in any entry, and every action is service:Verb', () => {
    for (const [type, actions] of Object.entries(DEPLOY_PERMISSIONS)) {
      for (const a of actions) expect(a, type).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
    }
  });
});
