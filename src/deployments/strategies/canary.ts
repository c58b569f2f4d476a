import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { hookStep, installSteps, trafficSteps, type DeploymentStrategy, type PlanContext, shadowSteps } from './strategy.js';

type Canary = Extract<ResolvedStrategy, { kind: 'Canary' }>;

/**
 * The new revision at full size beside the old one, then traffic in the
 * canary's steps (e.g. 10% → 100%), holding `intervalMs` at each step but the
 * last, with an analysis run at the end of each hold when configured.
 */
export const canaryStrategy: DeploymentStrategy<Canary> = {
  kind: 'Canary',
  plan(strategy: Canary, context: PlanContext): DeploymentStep[] {
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
