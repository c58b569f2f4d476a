import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { allAtOnceStrategy } from './all-at-once.js';
import { blueGreenStrategy } from './blue-green.js';
import { canaryStrategy } from './canary.js';
import { linearStrategy } from './linear.js';
import { rollingStrategy } from './rolling.js';
import type { PlanContext } from './strategy.js';

/**
 * The step plan of a deployment. A first deployment (nothing runs yet) is
 * all-at-once whatever the strategy: there is nothing to shift traffic from.
 */
export function planDeployment(strategy: ResolvedStrategy, context: PlanContext & { readonly first: boolean }): DeploymentStep[] {
  if (context.first) return allAtOnceStrategy.plan({ kind: 'AllAtOnce', codeDeployName: undefined }, context).filter((s) => s.type !== 'retireOld');
  switch (strategy.kind) {
    case 'AllAtOnce':
      return allAtOnceStrategy.plan(strategy, context);
    case 'Rolling':
      return rollingStrategy.plan(strategy, context);
    case 'Canary':
      return canaryStrategy.plan(strategy, context);
    case 'Linear':
      return linearStrategy.plan(strategy, context);
    case 'BlueGreen':
      return blueGreenStrategy.plan(strategy, context);
  }
}

/**
 * The rest of a plan when the deployment is promoted: the new revision
 * brought to full size if it is not yet, all traffic to it, the test listener
 * released, the AfterAllowTraffic hook if still due, and the old revision
 * retired at once. Waits and intermediate traffic steps are skipped.
 */
export function promotedPlan(plan: readonly DeploymentStep[], stepIndex: number): DeploymentStep[] {
  const rest = plan.slice(stepIndex);
  const out: DeploymentStep[] = [];
  const lastNewScale = rest.filter((s) => s.type === 'scale' && s.revision === 'new').at(-1);
  for (const s of rest) {
    if (s.type === 'start' || s === lastNewScale) out.push(s);
    else if (s.type === 'hook' && s.hook !== 'AfterAllowTraffic' && s.hook !== 'AfterAllowTestTraffic') out.push(s);
  }
  out.push({ type: 'traffic', newPercent: 100 });
  if (rest.some((s) => s.type === 'testTraffic' && !s.enabled)) out.push({ type: 'testTraffic', enabled: false });
  if (rest.some((s) => s.type === 'hook' && s.hook === 'AfterAllowTraffic')) out.push({ type: 'hook', hook: 'AfterAllowTraffic' });
  if (rest.some((s) => s.type === 'retireOld')) out.push({ type: 'retireOld' });
  return out;
}
