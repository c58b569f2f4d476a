import type { ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';
import { hookStep, type DeploymentStrategy, type PlanContext } from './strategy.js';

type Rolling = Extract<ResolvedStrategy, { kind: 'Rolling' }>;

/** Tasks replaced per batch: `batchSize`, or `batchPercent` of the desired count rounded up; at least 1. */
export function rollingBatchSize(strategy: Rolling, desiredCount: number): number {
  const size = strategy.batchPercent !== undefined ? Math.ceil((desiredCount * strategy.batchPercent) / 100) : (strategy.batchSize ?? 1);
  return Math.max(1, Math.min(desiredCount, size));
}

/**
 * Replaces tasks batch by batch, surging: each batch first grows the new
 * revision by `batch` tasks and waits until they are healthy and routed, then
 * moves traffic in proportion to the task counts (new / desired), then shrinks
 * the old revision by as many. Healthy capacity never drops below the desired
 * count, so any `minHealthyPercent` up to 100 holds.
 */
export const rollingStrategy: DeploymentStrategy<Rolling> = {
  kind: 'Rolling',
  plan(strategy: Rolling, context: PlanContext): DeploymentStep[] {
    const n = Math.max(1, context.desiredCount);
    const batch = rollingBatchSize(strategy, n);
    const steps: DeploymentStep[] = [...hookStep(context, 'BeforeInstall')];
    for (let done = batch, first = true; ; done = Math.min(n, done + batch), first = false) {
      steps.push(first ? { type: 'start', desiredCount: done } : { type: 'scale', revision: 'new', desiredCount: done });
      if (first) steps.push(...hookStep(context, 'AfterInstall'), ...hookStep(context, 'BeforeAllowTraffic'));
      steps.push({ type: 'traffic', newPercent: Math.round((100 * done) / n) });
      if (done >= n) break;
      steps.push({ type: 'scale', revision: 'old', desiredCount: n - done });
    }
    steps.push(...hookStep(context, 'AfterAllowTraffic'), { type: 'retireOld' });
    return steps;
  },
};
