import { describe, expect, it } from 'vitest';
import { resolveStrategy, linearSteps } from './resolve-strategy.js';
import { blueGreen, canary, linear, rolling } from './strategies.js';
import type { ResolvedStrategy } from './resolved.js';
import type { StrategyDefinition } from './schema/strategy.js';

const context = { hasTestPort: false, rollbackOn: ['gateway-5xx'] };

describe('resolveStrategy maps CodeDeploy configurations to their meaning', () => {
  it.each<[string, ResolvedStrategy]>([
    ['CodeDeployDefault.AllAtOnce', { kind: 'AllAtOnce', codeDeployName: 'CodeDeployDefault.AllAtOnce' }],
    ['CodeDeployDefault.ECSAllAtOnce', { kind: 'AllAtOnce', codeDeployName: 'CodeDeployDefault.ECSAllAtOnce' }],
    ['CodeDeployDefault.HalfAtATime', { kind: 'Rolling', batchSize: undefined, batchPercent: 50, minHealthyPercent: 100, codeDeployName: 'CodeDeployDefault.HalfAtATime' }],
    ['CodeDeployDefault.OneAtATime', { kind: 'Rolling', batchSize: 1, batchPercent: undefined, minHealthyPercent: 100, codeDeployName: 'CodeDeployDefault.OneAtATime' }],
    ['CodeDeployDefault.ECSCanary10Percent5Minutes', { kind: 'Canary', steps: [10, 100], intervalMs: 300_000, analysis: undefined, codeDeployName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }],
    ['CodeDeployDefault.ECSCanary10Percent15Minutes', { kind: 'Canary', steps: [10, 100], intervalMs: 900_000, analysis: undefined, codeDeployName: 'CodeDeployDefault.ECSCanary10Percent15Minutes' }],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      { kind: 'Linear', stepPercent: 10, steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], intervalMs: 60_000, analysis: undefined, codeDeployName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' },
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      { kind: 'Linear', stepPercent: 10, steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], intervalMs: 180_000, analysis: undefined, codeDeployName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' },
    ],
  ])('GIVEN %s WHEN resolved THEN it is the matching strategy', (name, expected) => {
    expect(resolveStrategy(name as StrategyDefinition, context)).toEqual(expected);
  });
});

describe('resolveStrategy compiles the helpers', () => {
  it.each<[string, StrategyDefinition | undefined, { hasTestPort: boolean }, ResolvedStrategy]>([
    ['no strategy', undefined, { hasTestPort: false }, { kind: 'AllAtOnce', codeDeployName: undefined }],
    [
      'canary with analysis defaults',
      canary({ steps: [5, 25, 100], interval: '30s', analysis: { maxErrorRatePercent: 1 } }),
      { hasTestPort: false },
      { kind: 'Canary', steps: [5, 25, 100], intervalMs: 30_000, analysis: { alarms: ['gateway-5xx'], maxErrorRatePercent: 1, maxLatencyP99Ms: undefined, minRequestCount: 10 }, codeDeployName: undefined },
    ],
    ['linear that does not divide 100', linear({ percent: 30, every: '2m' }), { hasTestPort: false }, { kind: 'Linear', stepPercent: 30, steps: [30, 60, 90, 100], intervalMs: 120_000, analysis: undefined, codeDeployName: undefined }],
    ['rolling with defaults', rolling(), { hasTestPort: false }, { kind: 'Rolling', batchSize: 1, batchPercent: undefined, minHealthyPercent: 100, codeDeployName: undefined }],
    ['rolling by percentage', rolling({ batchPercent: 25, minHealthyPercent: 50 }), { hasTestPort: false }, { kind: 'Rolling', batchSize: undefined, batchPercent: 25, minHealthyPercent: 50, codeDeployName: undefined }],
    ['blue/green with a test port', blueGreen(), { hasTestPort: true }, { kind: 'BlueGreen', testTraffic: true, bakeTimeMs: 0, terminateBlueAfterMs: 300_000, codeDeployName: undefined }],
    ['blue/green without a test port', blueGreen({ bakeTime: '1m', terminateBlueAfter: '1h' }), { hasTestPort: false }, { kind: 'BlueGreen', testTraffic: false, bakeTimeMs: 60_000, terminateBlueAfterMs: 3_600_000, codeDeployName: undefined }],
  ])('GIVEN %s WHEN resolved THEN durations are in ms and defaults filled', (_name, strategy, ctx, expected) => {
    expect(resolveStrategy(strategy, { ...context, ...ctx })).toEqual(expected);
  });

  it('computes linear steps', () => {
    expect(linearSteps(100)).toEqual([100]);
    expect(linearSteps(50)).toEqual([50, 100]);
    expect(linearSteps(33)).toEqual([33, 66, 99, 100]);
  });
});
