import { InputError, type ResolvedStrategy } from '../../shared/index.js';
import { trafficSteps } from '../strategies/strategy.js';
import type { FlagRolloutStep } from './model.js';

/**
 * The steps of a flag rollout (pure), from the same strategies as a deployment's traffic: all at
 * once is one step at 100 %; a canary or linear strategy is its traffic steps (e.g. 5 → 25 → 50 →
 * 100 %) with its interval as the bake time of each step but the last. Rolling and blue/green move
 * tasks, which a flag has none of: they are refused.
 * @throws {InputError} `SLW_ERR_FLAG_ROLLOUT_INVALID` for a rolling or blue/green strategy
 */
export function planFlagRollout(strategy: ResolvedStrategy): FlagRolloutStep[] {
  switch (strategy.kind) {
    case 'AllAtOnce':
      return [{ percent: 100, bakeMs: 0 }];
    case 'Canary':
    case 'Linear': {
      // The deployment plan's traffic steps: a shift, then a wait, for each share but the last.
      const steps = trafficSteps(strategy.steps, strategy.intervalMs, false);
      const out: FlagRolloutStep[] = [];
      for (const s of steps) {
        if (s.type === 'traffic') out.push({ percent: s.newPercent, bakeMs: 0 });
        else if (s.type === 'wait' && out.length > 0) out[out.length - 1] = { ...out[out.length - 1]!, bakeMs: s.durationMs };
      }
      return out;
    }
    default:
      throw new InputError('SLW_ERR_FLAG_ROLLOUT_INVALID', `a flag rollout is all at once, canary or linear; a ${strategy.kind} strategy moves tasks, and a flag has none`, {
        issues: [{ path: 'body.strategy', message: `expected "CodeDeployDefault.AllAtOnce", canary or linear, got ${strategy.kind}` }],
      });
  }
}
