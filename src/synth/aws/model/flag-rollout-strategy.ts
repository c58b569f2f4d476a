import type { ResolvedStrategy } from '../../../shared/index.js';

const MINUTE_MS = 60_000;
/** AppConfig's longest deployment duration (24 hours). */
const MAX_DURATION_MINUTES = 1440;

/** An `AWS::AppConfig::DeploymentStrategy` derived from an environment's strategy: whole minutes, as AppConfig takes them. */
export interface AppConfigRollout {
  /** Always `LINEAR`: AppConfig's exponential growth (G·2^N) doubles, which no slipway strategy does. */
  readonly growthType: 'LINEAR';
  /** Percentage of targets added at each AppConfig step. */
  readonly growthFactor: number;
  /** Time over which AppConfig reaches 100 %, in minutes. */
  readonly deploymentDurationMinutes: number;
  /** Time AppConfig keeps watching the alarms at 100 %, in minutes. */
  readonly finalBakeTimeMinutes: number;
  /** What differs from how slipway rolls a flag out locally, one sentence each; empty when nothing does. */
  readonly differences: readonly string[];
}

const ALL_AT_ONCE: AppConfigRollout = { growthType: 'LINEAR', growthFactor: 100, deploymentDurationMinutes: 0, finalBakeTimeMinutes: 0, differences: [] };

/**
 * The AppConfig deployment strategy closest to a flag rollout with `strategy` (`planFlagRollout`): all at
 * once is growth 100 over 0 minutes. A linear `percent` every `interval` is growth `percent` over
 * `interval × 100 / percent` (`steps × interval` when the percent divides 100), AppConfig's own reading of
 * "N % every T" (its `Linear20PercentEvery6Minutes` is growth 20 over 30 minutes). A canary is growth of its first step over `steps × interval`: AppConfig
 * only grows evenly, so the first exposure is the canary's and the whole rollout takes as long, but the
 * later, larger steps become even ones. No final bake: a slipway rollout succeeds when it reaches 100 %.
 * Rolling and blue/green move tasks, so flags roll out all at once, as locally.
 */
export function appConfigRollout(strategy: ResolvedStrategy): AppConfigRollout {
  if (strategy.kind !== 'Canary' && strategy.kind !== 'Linear') return ALL_AT_ONCE;
  const { steps, intervalMs } = strategy;
  if (steps.length === 1) return ALL_AT_ONCE;
  const growthFactor = strategy.kind === 'Linear' ? strategy.stepPercent : steps[0]!;
  const durationMs = strategy.kind === 'Linear' ? (intervalMs * 100) / growthFactor : steps.length * intervalMs;
  const exactMinutes = Math.ceil(durationMs / MINUTE_MS);
  const deploymentDurationMinutes = Math.min(exactMinutes, MAX_DURATION_MINUTES);
  const differences: string[] = [];
  if (strategy.kind === 'Canary') {
    const even = evenSteps(growthFactor);
    if (even.join() !== steps.join()) {
      differences.push(`AppConfig grows evenly: ${growthFactor}% at a time (${shortList(even)}) over ${deploymentDurationMinutes}m, not in the steps ${steps.join('→')}%`);
    }
  }
  if (exactMinutes > MAX_DURATION_MINUTES) {
    differences.push(`AppConfig deploys over at most ${MAX_DURATION_MINUTES}m (24h): ${exactMinutes}m become ${MAX_DURATION_MINUTES}m, so each step is shorter`);
  } else if (exactMinutes * MINUTE_MS !== durationMs) {
    differences.push(`AppConfig counts whole minutes: a duration of ${seconds(durationMs)} becomes ${deploymentDurationMinutes}m`);
  }
  return { growthType: 'LINEAR', growthFactor, deploymentDurationMinutes, finalBakeTimeMinutes: 0, differences };
}

/** AppConfig's shares at a linear growth factor: 30 → [30, 60, 90, 100]. */
function evenSteps(growthFactor: number): number[] {
  const out: number[] = [];
  for (let p = growthFactor; p < 100; p += growthFactor) out.push(Math.round(p * 1000) / 1000);
  return [...out, 100];
}

function shortList(steps: readonly number[]): string {
  return steps.length <= 5 ? `${steps.join('→')}%` : `${steps.slice(0, 3).join('→')}→…→100%`;
}

function seconds(ms: number): string {
  return ms % MINUTE_MS === 0 ? `${ms / MINUTE_MS}m` : `${Math.round(ms / 100) / 10}s`;
}
