import { describe, expect, it } from 'vitest';
import { resolveStrategy, type HookName, type ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { planDeployment, promotedPlan } from './plan-deployment.js';

const ctx = { desiredCount: 2, hooks: new Set<HookName>(), hasTestListener: false, analysis: false, first: false };
const strategy = (s: Parameters<typeof resolveStrategy>[0], hasTestPort = false): ResolvedStrategy => resolveStrategy(s, { hasTestPort, rollbackOn: [] });
/** A compact view of a plan: `start:2`, `traffic:10`, `wait:300`, `hook:BeforeInstall`, ... */
const compact = (plan: readonly DeploymentStep[]) =>
  plan.map((s) => {
    switch (s.type) {
      case 'hook':
        return `hook:${s.hook}`;
      case 'start':
        return `start:${s.desiredCount}`;
      case 'scale':
        return `scale-${s.revision}:${s.desiredCount}`;
      case 'testTraffic':
        return `test:${s.enabled ? 'on' : 'off'}`;
      case 'traffic':
        return `traffic:${s.newPercent}`;
      case 'shadow':
        return `shadow:${s.percent}%:${s.durationMs}`;
      case 'wait':
        return `${s.purpose === 'interval' ? 'wait' : s.purpose}:${s.durationMs}${s.analysis ? '+analysis' : ''}`;
      case 'retireOld':
        return 'retire';
    }
  });

describe('planDeployment', () => {
  const cases: { name: string; strategy: ResolvedStrategy; context?: Partial<typeof ctx>; want: string[] }[] = [
    { name: 'all at once', strategy: strategy('CodeDeployDefault.AllAtOnce'), want: ['start:2', 'traffic:100', 'retire'] },
    {
      name: 'canary 10% then 100% with analysis',
      strategy: strategy({ type: 'canary', steps: [10, 100], interval: '300ms' }),
      context: { analysis: true },
      want: ['start:2', 'traffic:10', 'wait:300+analysis', 'traffic:100', 'retire'],
    },
    {
      name: 'canary in four steps',
      strategy: strategy({ type: 'canary', steps: [5, 25, 50, 100], interval: '1s' }),
      want: ['start:2', 'traffic:5', 'wait:1000', 'traffic:25', 'wait:1000', 'traffic:50', 'wait:1000', 'traffic:100', 'retire'],
    },
    { name: 'linear 40% steps', strategy: strategy({ type: 'linear', percent: 40, every: '300ms' }), want: ['start:2', 'traffic:40', 'wait:300', 'traffic:80', 'wait:300', 'traffic:100', 'retire'] },
    {
      name: 'one at a time over 3 tasks: surge one, shift in proportion, shrink one',
      strategy: strategy('CodeDeployDefault.OneAtATime'),
      context: { desiredCount: 3 },
      want: ['start:1', 'traffic:33', 'scale-old:2', 'scale-new:2', 'traffic:67', 'scale-old:1', 'scale-new:3', 'traffic:100', 'retire'],
    },
    { name: 'half at a time over 2 tasks', strategy: strategy('CodeDeployDefault.HalfAtATime'), want: ['start:1', 'traffic:50', 'scale-old:1', 'scale-new:2', 'traffic:100', 'retire'] },
    { name: 'half at a time over 1 task is one batch', strategy: strategy('CodeDeployDefault.HalfAtATime'), context: { desiredCount: 1 }, want: ['start:1', 'traffic:100', 'retire'] },
    {
      name: 'blue/green with test traffic, bake and a kept blue',
      strategy: strategy({ type: 'blueGreen', bakeTime: '500ms', terminateBlueAfter: '1s' }, true),
      context: { hasTestListener: true, hooks: new Set<HookName>(['AfterAllowTestTraffic']) },
      want: ['start:2', 'test:on', 'hook:AfterAllowTestTraffic', 'traffic:100', 'test:off', 'bake:500', 'keepOld:1000', 'retire'],
    },
    {
      name: 'blue/green without a test listener skips test traffic',
      strategy: strategy({ type: 'blueGreen', testTraffic: true }),
      want: ['start:2', 'traffic:100', 'keepOld:300000', 'retire'],
    },
    {
      name: 'every hook in CodeDeploy order',
      strategy: strategy({ type: 'canary', steps: [50, 100], interval: '1s' }),
      context: { hooks: new Set<HookName>(['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic']) },
      want: ['hook:BeforeInstall', 'start:2', 'hook:AfterInstall', 'hook:BeforeAllowTraffic', 'traffic:50', 'wait:1000', 'traffic:100', 'hook:AfterAllowTraffic', 'retire'],
    },
    { name: 'a first deployment is all at once and retires nothing', strategy: strategy({ type: 'canary', steps: [10, 100], interval: '1s' }), context: { first: true }, want: ['start:2', 'traffic:100'] },
    {
      name: 'a canary with a shadow mirrors and compares after install, before any hook that allows traffic and any traffic step',
      strategy: strategy({ type: 'canary', steps: [50, 100], interval: '1s', shadow: { percent: 20, duration: '30s' } }),
      context: { hooks: new Set<HookName>(['AfterInstall', 'BeforeAllowTraffic']) },
      want: ['start:2', 'hook:AfterInstall', 'shadow:20%:30000', 'hook:BeforeAllowTraffic', 'traffic:50', 'wait:1000', 'traffic:100', 'retire'],
    },
    { name: 'a linear with a shadow', strategy: strategy({ type: 'linear', percent: 50, every: '1s', shadow: { duration: '2s' } }), want: ['start:2', 'shadow:100%:2000', 'traffic:50', 'wait:1000', 'traffic:100', 'retire'] },
    {
      name: 'a blue/green with a shadow compares after its test traffic, before the switch',
      strategy: strategy({ type: 'blueGreen', shadow: { duration: '1s' }, terminateBlueAfter: '1s' }, true),
      context: { hasTestListener: true },
      want: ['start:2', 'test:on', 'shadow:100%:1000', 'traffic:100', 'test:off', 'keepOld:1000', 'retire'],
    },
    { name: 'a first deployment has no shadow step: there is nothing to compare with', strategy: strategy({ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s' } }), context: { first: true }, want: ['start:2', 'traffic:100'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a strategy and an environment WHEN the plan is made THEN it has these steps
      expect(compact(planDeployment(c.strategy, { ...ctx, ...c.context }))).toEqual(c.want);
    });
  }
});

describe('promotedPlan', () => {
  const canary = planDeployment(strategy({ type: 'canary', steps: [10, 50, 100], interval: '1s' }), { ...ctx, hooks: new Set<HookName>(['AfterAllowTraffic']) });
  const rolling = planDeployment(strategy('CodeDeployDefault.OneAtATime'), { ...ctx, desiredCount: 3 });
  const cases: { name: string; plan: DeploymentStep[]; at: number; want: string[] }[] = [
    { name: 'a canary at its first wait goes to 100% and runs the last hook', plan: canary, at: 2, want: ['traffic:100', 'hook:AfterAllowTraffic', 'retire'] },
    { name: 'a canary still starting keeps its start step', plan: canary, at: 0, want: ['start:2', 'traffic:100', 'hook:AfterAllowTraffic', 'retire'] },
    { name: 'a rolling deployment brings the new revision to full size first', plan: rolling, at: 2, want: ['scale-new:3', 'traffic:100', 'retire'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a plan at step `at` WHEN promoted THEN the rest is
      expect(compact(promotedPlan(c.plan, c.at))).toEqual(c.want);
    });
  }
});
