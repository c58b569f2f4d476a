import { describe, expect, it } from 'vitest';
import type { SlipwayError } from '../../shared/index.js';
import { strategyFromOptions } from './flag-rollouts.js';

describe('strategyFromOptions', () => {
  it.each<[string, Parameters<typeof strategyFromOptions>[0], unknown]>([
    // GIVEN the options of `slipway flags rollout` THEN the strategy sent to the API
    ['--steps and --interval are a canary', { steps: '5,25,50,100', interval: '30s' }, { type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }],
    ['--steps alone bake 30 s', { steps: '10, 100' }, { type: 'canary', steps: [10, 100], interval: '30s' }],
    ['nothing is the environment\'s (decided by the server)', {}, undefined],
    ['all-at-once', { strategy: 'all-at-once' }, 'CodeDeployDefault.AllAtOnce'],
    ['a CodeDeploy name', { strategy: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }, 'CodeDeployDefault.ECSCanary10Percent5Minutes'],
    ['a strategy as JSON', { strategy: '{"type":"linear","percent":20,"every":"1m"}' }, { type: 'linear', percent: 20, every: '1m' }],
  ])('%s', (_name, opts, expected) => {
    expect(strategyFromOptions(opts)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof strategyFromOptions>[0]]>([
    ['steps that are not numbers', { steps: '5,half,100' }],
    ['--interval without --steps', { interval: '30s' }],
    ['--strategy with --steps', { strategy: 'all-at-once', steps: '5,100' }],
    ['a strategy that is neither a name nor JSON', { strategy: 'fast' }],
  ])('refuses %s with SLW_ERR_CLI_USAGE', (_name, opts) => {
    expect(() => strategyFromOptions(opts)).toThrow(expect.objectContaining({ code: 'SLW_ERR_CLI_USAGE' }) as SlipwayError);
  });
});
