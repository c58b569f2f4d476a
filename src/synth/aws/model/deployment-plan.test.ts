import { describe, expect, it } from 'vitest';
import { resolveStrategy, type StrategyDefinition } from '../../../shared/index.js';
import { planDeployment, type DeploymentPlan } from './deployment-plan.js';

const context = { hasTestPort: true, rollbackOn: [] };
const plan = (s: StrategyDefinition, min = 2) => planDeployment(resolveStrategy(s, context), min);

describe('planDeployment', () => {
  // GIVEN a strategy as written in the model WHEN planned for a service of 2 tasks THEN AWS runs this.
  const cases: [string, StrategyDefinition, DeploymentPlan][] = [
    ['AllAtOnce → ECS rolling, all new tasks at once', 'CodeDeployDefault.AllAtOnce', { controller: 'ECS', minHealthyPercent: 100, maxHealthyPercent: 200 }],
    ['HalfAtATime → ECS rolling, half more at a time', 'CodeDeployDefault.HalfAtATime', { controller: 'ECS', minHealthyPercent: 100, maxHealthyPercent: 150 }],
    ['OneAtATime → ECS rolling, one of two tasks', 'CodeDeployDefault.OneAtATime', { controller: 'ECS', minHealthyPercent: 100, maxHealthyPercent: 150 }],
    ['rolling with minHealthyPercent', { type: 'rolling', batchPercent: 50, minHealthyPercent: 50 }, { controller: 'ECS', minHealthyPercent: 50, maxHealthyPercent: 100 }],
    ['ECSAllAtOnce → CodeDeploy', 'CodeDeployDefault.ECSAllAtOnce', { controller: 'CODE_DEPLOY', config: { kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, terminationWaitMinutes: 5 }],
    ...(['ECSCanary10Percent5Minutes', 'ECSCanary10Percent15Minutes', 'ECSLinear10PercentEvery1Minutes', 'ECSLinear10PercentEvery3Minutes'] as const).map(
      (n): [string, StrategyDefinition, DeploymentPlan] => [n, `CodeDeployDefault.${n}`, { controller: 'CODE_DEPLOY', config: { kind: 'Predefined', name: `CodeDeployDefault.${n}` }, terminationWaitMinutes: 5 }],
    ),
    ['canary 10%/5m written by hand → the predefined one', { type: 'canary', steps: [10, 100], interval: '5m' }, { controller: 'CODE_DEPLOY', config: { kind: 'Predefined', name: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }, terminationWaitMinutes: 5 }],
    ['custom canary', { type: 'canary', steps: [20, 100], interval: '2m' }, { controller: 'CODE_DEPLOY', config: { kind: 'Canary', percentage: 20, intervalMinutes: 2 }, terminationWaitMinutes: 5 }],
    ['custom linear', { type: 'linear', percent: 25, every: '4m' }, { controller: 'CODE_DEPLOY', config: { kind: 'Linear', percentage: 25, intervalMinutes: 4 }, terminationWaitMinutes: 5 }],
    ['blue/green keeps blue terminateBlueAfter', { type: 'blueGreen', terminateBlueAfter: '10m' }, { controller: 'CODE_DEPLOY', config: { kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, terminationWaitMinutes: 10 }],
  ];
  it.each(cases)('%s', (_name, strategy, expected) => {
    const planned = plan(strategy);
    expect(planned.plan).toEqual(expected);
    expect(planned.differences).toEqual([]);
  });

  it('names the shadow step as not applied: CodeDeploy cannot mirror and compare', () => {
    const planned = plan({ type: 'canary', steps: [10, 100], interval: '5m', shadow: { duration: '1m' } });
    expect(planned.plan).toEqual({ controller: 'CODE_DEPLOY', config: { kind: 'Predefined', name: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }, terminationWaitMinutes: 5 });
    expect(planned.differences).toEqual(['not applied: CodeDeploy cannot mirror requests and compare answers, so the shadow step runs only locally']);
  });

  it('maps a multi-step canary to its first step and names the difference', () => {
    // GIVEN steps 5→25→50→100 every 30s WHEN planned THEN one 5% step for a whole minute, two differences.
    const planned = plan({ type: 'canary', steps: [5, 25, 50, 100], interval: '30s' });
    expect(planned.plan).toEqual({ controller: 'CODE_DEPLOY', config: { kind: 'Canary', percentage: 5, intervalMinutes: 1 }, terminationWaitMinutes: 5 });
    expect(planned.differences).toEqual([
      'CodeDeploy intervals are whole minutes: interval 30s becomes 1m',
      "CodeDeploy runs a single canary step: 5% for 1m, then 100% (the model's steps 5→25→50→100% cannot be expressed one-to-one)",
    ]);
  });

  it('keeps blue for the bake time when it is longer, and says so', () => {
    const planned = plan({ type: 'blueGreen', bakeTime: '20m', terminateBlueAfter: '5m' });
    expect(planned.plan).toMatchObject({ controller: 'CODE_DEPLOY', terminationWaitMinutes: 20 });
    expect(planned.differences[0]).toMatch(/no bake time/);
  });

  it('turns a batch size into a percentage of the minimum task count, naming an inexact one', () => {
    const planned = plan({ type: 'rolling', batchSize: 1 }, 3);
    expect(planned.plan).toEqual({ controller: 'ECS', minHealthyPercent: 100, maxHealthyPercent: 134 });
    expect(planned.differences).toEqual(['ECS batches by percentage: a batch of 1 task(s) of 3 becomes 34% of the desired count']);
  });
});
