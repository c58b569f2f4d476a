import { parseDuration } from './duration.js';
import type { ResolvedAnalysis, ResolvedShadow, ResolvedStrategy } from './resolved.js';
import { DEFAULT_SHADOW_MAX_BODY_BYTES, SAFE_METHODS } from './shadow-ignore.js';
import type { CodeDeployConfigName, ShadowOptions, StrategyDefinition } from './schema/strategy.js';

type Spec = { kind: 'AllAtOnce' } | { kind: 'Rolling'; batchSize?: number; batchPercent?: number } | { kind: 'Canary'; steps: number[]; intervalMs: number } | { kind: 'Linear'; stepPercent: number; intervalMs: number };

const MINUTE_MS = 60_000;
const CODEDEPLOY: Record<CodeDeployConfigName, Spec> = {
  'CodeDeployDefault.AllAtOnce': { kind: 'AllAtOnce' },
  'CodeDeployDefault.HalfAtATime': { kind: 'Rolling', batchPercent: 50 },
  'CodeDeployDefault.OneAtATime': { kind: 'Rolling', batchSize: 1 },
  'CodeDeployDefault.ECSAllAtOnce': { kind: 'AllAtOnce' },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': { kind: 'Canary', steps: [10, 100], intervalMs: 5 * MINUTE_MS },
  'CodeDeployDefault.ECSCanary10Percent15Minutes': { kind: 'Canary', steps: [10, 100], intervalMs: 15 * MINUTE_MS },
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': { kind: 'Linear', stepPercent: 10, intervalMs: MINUTE_MS },
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': { kind: 'Linear', stepPercent: 10, intervalMs: 3 * MINUTE_MS },
};

/** The default minimum healthy share of a rolling deployment, in percent. */
export const DEFAULT_MIN_HEALTHY_PERCENT = 100;
/** The default time the old revision of a blue/green deployment keeps running. */
export const DEFAULT_TERMINATE_BLUE_AFTER_MS = 5 * MINUTE_MS;

/** Context a strategy needs from its environment to fill its defaults. */
export interface StrategyContext {
  /** Whether the environment has a test listener. */
  readonly hasTestPort: boolean;
  /** The environment's rollbackOn alarms (the default alarms of an analysis). */
  readonly rollbackOn: readonly string[];
}

/** The traffic percentages of a linear strategy: `30` → `[30, 60, 90, 100]`. */
export function linearSteps(stepPercent: number): number[] {
  const steps: number[] = [];
  for (let p = stepPercent; p < 100; p += stepPercent) steps.push(p);
  steps.push(100);
  return steps;
}

/**
 * Compiles a strategy (a CodeDeploy name or a strategy object that passed the schema) into the
 * one discriminated union the deploy engine and the synthesizers read.
 */
export function resolveStrategy(strategy: StrategyDefinition | undefined, context: StrategyContext): ResolvedStrategy {
  if (strategy === undefined) return { kind: 'AllAtOnce', codeDeployName: undefined };
  if (typeof strategy === 'string') {
    const spec = CODEDEPLOY[strategy];
    const codeDeployName = strategy;
    switch (spec.kind) {
      case 'AllAtOnce':
        return { kind: 'AllAtOnce', codeDeployName };
      case 'Rolling':
        return { kind: 'Rolling', batchSize: spec.batchSize, batchPercent: spec.batchPercent, minHealthyPercent: DEFAULT_MIN_HEALTHY_PERCENT, codeDeployName };
      case 'Canary':
        return { kind: 'Canary', steps: [...spec.steps], intervalMs: spec.intervalMs, analysis: undefined, codeDeployName };
      case 'Linear':
        return { kind: 'Linear', stepPercent: spec.stepPercent, steps: linearSteps(spec.stepPercent), intervalMs: spec.intervalMs, analysis: undefined, codeDeployName };
    }
  }
  const codeDeployName = undefined;
  switch (strategy.type) {
    case 'canary':
      return { kind: 'Canary', steps: [...strategy.steps], intervalMs: parseDuration(strategy.interval), analysis: resolveAnalysis(strategy.analysis, context), codeDeployName, ...resolveShadow(strategy.shadow) };
    case 'linear':
      return {
        kind: 'Linear',
        stepPercent: strategy.percent,
        steps: linearSteps(strategy.percent),
        intervalMs: parseDuration(strategy.every),
        analysis: resolveAnalysis(strategy.analysis, context),
        codeDeployName,
        ...resolveShadow(strategy.shadow),
      };
    case 'rolling':
      return {
        kind: 'Rolling',
        batchSize: strategy.batchPercent === undefined ? (strategy.batchSize ?? 1) : undefined,
        batchPercent: strategy.batchPercent,
        minHealthyPercent: strategy.minHealthyPercent ?? DEFAULT_MIN_HEALTHY_PERCENT,
        codeDeployName,
      };
    case 'blueGreen':
      return {
        kind: 'BlueGreen',
        testTraffic: strategy.testTraffic ?? context.hasTestPort,
        bakeTimeMs: strategy.bakeTime === undefined ? 0 : parseDuration(strategy.bakeTime),
        terminateBlueAfterMs: strategy.terminateBlueAfter === undefined ? DEFAULT_TERMINATE_BLUE_AFTER_MS : parseDuration(strategy.terminateBlueAfter),
        codeDeployName,
        ...resolveShadow(strategy.shadow),
      };
  }
}

type AnalysisInput = Extract<StrategyDefinition, { type: 'canary' }>['analysis'];

function resolveAnalysis(analysis: AnalysisInput, context: StrategyContext): ResolvedAnalysis | undefined {
  if (analysis === undefined) return undefined;
  return {
    alarms: analysis.alarms ?? [...context.rollbackOn],
    maxErrorRatePercent: analysis.maxErrorRatePercent,
    maxLatencyP99Ms: analysis.maxLatencyP99 === undefined ? undefined : parseDuration(analysis.maxLatencyP99),
    minRequestCount: analysis.minRequestCount ?? 10,
  };
}

/** The default time a mirrored copy may take. */
export const DEFAULT_SHADOW_TIMEOUT_MS = 10_000;

/** `{ shadow }` with every default filled in, or `{}` without a shadow (so strategies without one stay as they were). */
function resolveShadow(shadow: ShadowOptions | undefined): { shadow?: ResolvedShadow } {
  if (shadow === undefined) return {};
  return {
    shadow: {
      percent: shadow.percent ?? 100,
      durationMs: parseDuration(shadow.duration),
      maxDiffPercent: shadow.maxDiffPercent ?? 0,
      maxLatencyRatio: shadow.maxLatencyRatio,
      minRequestCount: shadow.minRequests ?? 10,
      ignore: [...(shadow.ignore ?? [])],
      methods: [...(shadow.methods ?? SAFE_METHODS)],
      maxBodyBytes: shadow.maxBodyBytes ?? DEFAULT_SHADOW_MAX_BODY_BYTES,
      maxConcurrent: shadow.maxConcurrent ?? 32,
      timeoutMs: shadow.timeout === undefined ? DEFAULT_SHADOW_TIMEOUT_MS : parseDuration(shadow.timeout),
      compareHeaders: shadow.compare?.headers ?? true,
      compareBody: shadow.compare?.body ?? 'auto',
    },
  };
}
