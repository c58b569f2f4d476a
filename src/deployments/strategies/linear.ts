import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { hookStep, installSteps, trafficSteps, type DeploymentStrategy, type PlanContext, shadowSteps } from './strategy.js';

type Linear = Extract<ResolvedStrategy, { kind: 'Linear' }>;

/** Like a canary whose steps are `stepPercent`, `2 × stepPercent`, … 100, every `intervalMs`. */
export const linearStrategy: DeploymentStrategy<Linear> = {
  kind: 'Linear',
  plan(strategy: Linear, context: PlanContext): DeploymentStep[] {
    return [
      ...installSteps(context, context.desiredCount),
      ...shadowSteps(strategy.shadow),
      ...hookStep(context, 'BeforeAllowTraffic'),
      ...trafficSteps(strategy.steps, strategy.intervalMs, context.analysis),
      ...hookStep(context, 'AfterAllowTraffic'),
      { type: 'retireOld' },
    ];
  },
};
