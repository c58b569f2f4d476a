import { describe, expect, it } from 'vitest';
import type { ResolvedStrategy } from '../../../shared/index.js';
import { appConfigRollout } from './flag-rollout-strategy.js';

const canary = (steps: number[], intervalMs: number): ResolvedStrategy => ({ kind: 'Canary', steps, intervalMs, analysis: undefined, codeDeployName: undefined });
const linear = (stepPercent: number, steps: number[], intervalMs: number): ResolvedStrategy => ({ kind: 'Linear', stepPercent, steps, intervalMs, analysis: undefined, codeDeployName: undefined });

describe('appConfigRollout', () => {
  it.each<[string, ResolvedStrategy, { growthFactor: number; deploymentDurationMinutes: number; finalBakeTimeMinutes: number }]>([
    // GIVEN all at once WHEN mapped THEN everyone at once, nothing watched after
    ['all at once', { kind: 'AllAtOnce', codeDeployName: 'CodeDeployDefault.AllAtOnce' }, { growthFactor: 100, deploymentDurationMinutes: 0, finalBakeTimeMinutes: 0 }],
    // GIVEN strategies that move tasks WHEN mapped THEN all at once, as a local flag rollout does
    ['rolling', { kind: 'Rolling', batchSize: 1, batchPercent: undefined, minHealthyPercent: 100, codeDeployName: undefined }, { growthFactor: 100, deploymentDurationMinutes: 0, finalBakeTimeMinutes: 0 }],
    ['blue/green', { kind: 'BlueGreen', testTraffic: false, bakeTimeMs: 0, terminateBlueAfterMs: 300_000, codeDeployName: undefined }, { growthFactor: 100, deploymentDurationMinutes: 0, finalBakeTimeMinutes: 0 }],
    // GIVEN a canary WHEN mapped THEN its first step as growth, steps × interval as duration
    ['canary 5/25/50/100 every 30s', canary([5, 25, 50, 100], 30_000), { growthFactor: 5, deploymentDurationMinutes: 2, finalBakeTimeMinutes: 0 }],
    ['canary 10/100 every 5m', canary([10, 100], 300_000), { growthFactor: 10, deploymentDurationMinutes: 10, finalBakeTimeMinutes: 0 }],
    ['canary of one step', canary([100], 60_000), { growthFactor: 100, deploymentDurationMinutes: 0, finalBakeTimeMinutes: 0 }],
    // GIVEN linear WHEN mapped THEN AppConfig's "N % every T": growth N over T × 100 / N
    ['linear 20% every 6m', linear(20, [20, 40, 60, 80, 100], 360_000), { growthFactor: 20, deploymentDurationMinutes: 30, finalBakeTimeMinutes: 0 }],
    ['linear 10% every 1m', linear(10, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 60_000), { growthFactor: 10, deploymentDurationMinutes: 10, finalBakeTimeMinutes: 0 }],
    ['linear 30% every 3m', linear(30, [30, 60, 90, 100], 180_000), { growthFactor: 30, deploymentDurationMinutes: 10, finalBakeTimeMinutes: 0 }],
  ])('%s', (_name, strategy, expected) => {
    expect(appConfigRollout(strategy)).toMatchObject({ growthType: 'LINEAR', ...expected });
  });

  it('says where AppConfig differs: even growth instead of a canary\'s steps, whole minutes, 24 hours at most', () => {
    // GIVEN uneven canary steps WHEN mapped THEN the difference names both shapes
    expect(appConfigRollout(canary([5, 25, 50, 100], 30_000)).differences).toEqual(['AppConfig grows evenly: 5% at a time (5→10→15→…→100%) over 2m, not in the steps 5→25→50→100%']);
    // GIVEN a duration that is not whole minutes WHEN mapped THEN rounded up, and said
    expect(appConfigRollout(linear(50, [50, 100], 20_000)).differences).toEqual(['AppConfig counts whole minutes: a duration of 40s becomes 1m']);
    // GIVEN even canary steps WHEN mapped THEN nothing differs
    expect(appConfigRollout(canary([50, 100], 60_000)).differences).toEqual([]);
    // GIVEN more than a day WHEN mapped THEN capped at AppConfig's 24 hours
    const long = appConfigRollout(linear(1, Array.from({ length: 100 }, (_, i) => i + 1), 3_600_000));
    expect(long.deploymentDurationMinutes).toBe(1440);
    expect(long.differences).toEqual(['AppConfig deploys over at most 1440m (24h): 6000m become 1440m, so each step is shorter']);
  });
});
