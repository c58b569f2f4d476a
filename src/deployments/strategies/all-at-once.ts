import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { hookStep, installSteps, type DeploymentStrategy, type PlanContext } from './strategy.js';

type AllAtOnce = Extract<ResolvedStrategy, { kind: 'AllAtOnce' }>;

/** The new revision at full size, then all traffic at once, then the old revision stops. */
export const allAtOnceStrategy: DeploymentStrategy<AllAtOnce> = {
  kind: 'AllAtOnce',
  plan(_strategy: AllAtOnce, context: PlanContext): DeploymentStep[] {
    return [
      ...installSteps(context, context.desiredCount),
      ...hookStep(context, 'BeforeAllowTraffic'),
      { type: 'traffic', newPercent: 100 },
      ...hookStep(context, 'AfterAllowTraffic'),
      { type: 'retireOld' },
    ];
  },
};
