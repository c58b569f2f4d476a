import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { hookStep, installSteps, type DeploymentStrategy, type PlanContext, shadowSteps } from './strategy.js';

type BlueGreen = Extract<ResolvedStrategy, { kind: 'BlueGreen' }>;

/**
 * Green at full size beside blue; optionally the test listener on green
 * (AfterAllowTestTraffic runs then); all traffic switched at once; a bake
 * watching alarms; blue kept for `terminateBlueAfterMs` so a rollback is one
 * weight switch back; then blue stops. Bake and keep are successive waits.
 */
export const blueGreenStrategy: DeploymentStrategy<BlueGreen> = {
  kind: 'BlueGreen',
  plan(strategy: BlueGreen, context: PlanContext): DeploymentStep[] {
    const test = strategy.testTraffic && context.hasTestListener;
    return [
      ...installSteps(context, context.desiredCount),
      ...(test ? [{ type: 'testTraffic', enabled: true } as const, ...hookStep(context, 'AfterAllowTestTraffic')] : []),
      ...shadowSteps(strategy.shadow),
      ...hookStep(context, 'BeforeAllowTraffic'),
      { type: 'traffic', newPercent: 100 },
      ...(test ? [{ type: 'testTraffic', enabled: false } as const] : []),
      ...hookStep(context, 'AfterAllowTraffic'),
      ...(strategy.bakeTimeMs > 0 ? [{ type: 'wait', durationMs: strategy.bakeTimeMs, analysis: false, phase: 'Baking', purpose: 'bake' } as const] : []),
      ...(strategy.terminateBlueAfterMs > 0 ? [{ type: 'wait', durationMs: strategy.terminateBlueAfterMs, analysis: false, phase: 'Baking', purpose: 'keepOld' } as const] : []),
      { type: 'retireOld' },
    ];
  },
};
