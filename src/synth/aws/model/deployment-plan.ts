import type { ResolvedStrategy } from '../../../shared/index.js';

/** The CodeDeploy predefined ECS deployment configurations. */
export type EcsPredefinedConfig =
  | 'CodeDeployDefault.ECSAllAtOnce'
  | 'CodeDeployDefault.ECSCanary10Percent5Minutes'
  | 'CodeDeployDefault.ECSCanary10Percent15Minutes'
  | 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes'
  | 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes';

/** The CodeDeploy deployment configuration of a blue/green, canary or linear environment. */
export type CodeDeployConfig =
  | { readonly kind: 'Predefined'; readonly name: EcsPredefinedConfig }
  | { readonly kind: 'Canary'; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly kind: 'Linear'; readonly percentage: number; readonly intervalMinutes: number };

/** How an ECS service of an environment is deployed: ECS rolling updates or CodeDeploy blue/green. */
export type DeploymentPlan =
  | {
      readonly controller: 'ECS';
      /** ECS `minimumHealthyPercent`. */
      readonly minHealthyPercent: number;
      /** ECS `maximumPercent`. */
      readonly maxHealthyPercent: number;
    }
  | {
      readonly controller: 'CODE_DEPLOY';
      readonly config: CodeDeployConfig;
      /** Minutes the original (blue) task set keeps running after the shift. */
      readonly terminationWaitMinutes: number;
    };

/** A deployment plan and what the model says that it cannot express. */
export interface PlannedDeployment {
  readonly plan: DeploymentPlan;
  /** Differences between the model and the plan, one sentence each. */
  readonly differences: readonly string[];
}

const MINUTE_MS = 60_000;
/** CodeDeploy keeps the original task set at most two days. */
const MAX_TERMINATION_WAIT_MINUTES = 2880;
/** What slipway keeps the old revision for when the strategy does not say (as locally). */
const DEFAULT_TERMINATION_WAIT_MINUTES = 5;

const PREDEFINED_CANARY: Readonly<Record<string, EcsPredefinedConfig>> = {
  '10/5': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  '10/15': 'CodeDeployDefault.ECSCanary10Percent15Minutes',
};
const PREDEFINED_LINEAR: Readonly<Record<string, EcsPredefinedConfig>> = {
  '10/1': 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  '10/3': 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
};

/**
 * Maps a resolved strategy onto what AWS runs: canary, linear and blue/green through CodeDeploy
 * (predefined configurations when the model matches one, custom ones otherwise); all-at-once and
 * rolling through ECS rolling updates with the circuit breaker. `desiredMin` (the service's
 * `scaling.min`) turns a batch size into ECS's percentages.
 */
export function planDeployment(strategy: ResolvedStrategy, desiredMin: number): PlannedDeployment {
  const differences: string[] = [];
  if ((strategy.kind === 'Canary' || strategy.kind === 'Linear' || strategy.kind === 'BlueGreen') && strategy.shadow !== undefined) {
    differences.push('not applied: CodeDeploy cannot mirror requests and compare answers, so the shadow step runs only locally');
  }
  switch (strategy.kind) {
    case 'AllAtOnce':
      if (strategy.codeDeployName === 'CodeDeployDefault.ECSAllAtOnce') return codeDeploy({ kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
      // Every new task starts at once next to the old ones; the old stop once the new are healthy.
      return { plan: { controller: 'ECS', minHealthyPercent: 100, maxHealthyPercent: 200 }, differences };
    case 'Rolling': {
      const base = Math.max(1, desiredMin);
      const batchPercent = strategy.batchPercent ?? Math.ceil((100 * (strategy.batchSize ?? 1)) / base);
      if (strategy.batchPercent === undefined && (100 * (strategy.batchSize ?? 1)) % base !== 0) {
        differences.push(`ECS batches by percentage: a batch of ${strategy.batchSize ?? 1} task(s) of ${base} becomes ${batchPercent}% of the desired count`);
      }
      const min = strategy.minHealthyPercent;
      const max = Math.min(200, Math.max(100, min + batchPercent));
      return { plan: { controller: 'ECS', minHealthyPercent: min, maxHealthyPercent: max }, differences };
    }
    case 'Canary': {
      if (strategy.codeDeployName !== undefined) return codeDeploy({ kind: 'Predefined', name: strategy.codeDeployName as EcsPredefinedConfig }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
      const first = strategy.steps[0] ?? 100;
      if (first >= 100) return codeDeploy({ kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
      const minutes = wholeMinutes(strategy.intervalMs, 'interval', differences);
      if (strategy.steps.length > 2) {
        differences.push(
          `CodeDeploy runs a single canary step: ${first}% for ${minutes}m, then 100% (the model's steps ${strategy.steps.join('→')}% cannot be expressed one-to-one)`,
        );
      }
      const predefined = PREDEFINED_CANARY[`${first}/${minutes}`];
      return codeDeploy(predefined ? { kind: 'Predefined', name: predefined } : { kind: 'Canary', percentage: first, intervalMinutes: minutes }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
    }
    case 'Linear': {
      if (strategy.codeDeployName !== undefined) return codeDeploy({ kind: 'Predefined', name: strategy.codeDeployName as EcsPredefinedConfig }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
      if (strategy.stepPercent >= 100) return codeDeploy({ kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, DEFAULT_TERMINATION_WAIT_MINUTES, differences);
      const minutes = wholeMinutes(strategy.intervalMs, 'every', differences);
      const predefined = PREDEFINED_LINEAR[`${strategy.stepPercent}/${minutes}`];
      return codeDeploy(
        predefined ? { kind: 'Predefined', name: predefined } : { kind: 'Linear', percentage: strategy.stepPercent, intervalMinutes: minutes },
        DEFAULT_TERMINATION_WAIT_MINUTES,
        differences,
      );
    }
    case 'BlueGreen': {
      const keepMs = Math.max(strategy.terminateBlueAfterMs, strategy.bakeTimeMs);
      if (strategy.bakeTimeMs > 0) {
        differences.push('CodeDeploy has no bake time: the original tasks are kept (and rollbackOn alarms watched) for the longer of bakeTime and terminateBlueAfter');
      }
      let minutes = Math.ceil(keepMs / MINUTE_MS);
      if (minutes > MAX_TERMINATION_WAIT_MINUTES) {
        differences.push(`CodeDeploy keeps the original tasks at most ${MAX_TERMINATION_WAIT_MINUTES} minutes (2 days)`);
        minutes = MAX_TERMINATION_WAIT_MINUTES;
      } else if (minutes * MINUTE_MS !== keepMs) {
        differences.push(`CodeDeploy counts whole minutes: the original tasks are kept ${minutes}m`);
      }
      return codeDeploy({ kind: 'Predefined', name: 'CodeDeployDefault.ECSAllAtOnce' }, minutes, differences);
    }
  }
}

function codeDeploy(config: CodeDeployConfig, terminationWaitMinutes: number, differences: string[]): PlannedDeployment {
  return { plan: { controller: 'CODE_DEPLOY', config, terminationWaitMinutes }, differences };
}

/** CodeDeploy intervals are whole minutes (at least one); rounds up and records the difference. */
function wholeMinutes(ms: number, field: string, differences: string[]): number {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE_MS));
  if (minutes * MINUTE_MS !== ms) differences.push(`CodeDeploy intervals are whole minutes: ${field} ${formatMs(ms)} becomes ${minutes}m`);
  return minutes;
}

function formatMs(ms: number): string {
  return ms % MINUTE_MS === 0 ? `${ms / MINUTE_MS}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
