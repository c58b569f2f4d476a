import type { HookName, ResolvedShadow, ResolvedStrategy } from '../../shared/index.js';
import type { DeploymentStep } from '../model.js';

/** What a strategy needs to know to plan a rollout. */
export interface PlanContext {
  /** Tasks of the new revision at full size (and of the old one now). */
  readonly desiredCount: number;
  /** The lifecycle hooks the environment defines; only these become steps. */
  readonly hooks: ReadonlySet<HookName>;
  /** Whether the environment has a test listener. */
  readonly hasTestListener: boolean;
  /** Whether the waits between traffic steps end with an analysis run. */
  readonly analysis: boolean;
}

/**
 * A way of moving a service from one revision to the next, as a pure step
 * plan. The reconciler runs the plan; strategies never touch processes.
 */
export interface DeploymentStrategy<S extends ResolvedStrategy = ResolvedStrategy> {
  readonly kind: S['kind'];
  /** The steps of the rollout, in order. */
  plan(strategy: S, context: PlanContext): DeploymentStep[];
}

/** A hook step when the environment defines that hook. */
export function hookStep(context: PlanContext, hook: HookName): DeploymentStep[] {
  return context.hooks.has(hook) ? [{ type: 'hook', hook }] : [];
}

/** BeforeInstall, the new task set at `count` tasks (healthy), AfterInstall. */
export function installSteps(context: PlanContext, count: number): DeploymentStep[] {
  return [...hookStep(context, 'BeforeInstall'), { type: 'start', desiredCount: count }, ...hookStep(context, 'AfterInstall')];
}

/** Shifts through `steps` (percentages ending at 100), waiting `intervalMs` after each but the last. */
export function trafficSteps(steps: readonly number[], intervalMs: number, analysis: boolean): DeploymentStep[] {
  return steps.flatMap((p, i): DeploymentStep[] =>
    i === steps.length - 1 ? [{ type: 'traffic', newPercent: p }] : [{ type: 'traffic', newPercent: p }, { type: 'wait', durationMs: intervalMs, analysis, phase: 'InProgress', purpose: 'interval' }],
  );
}

/** The shadow step of a strategy that has one: requests mirrored to the new revision and compared, before any real traffic. */
export function shadowSteps(shadow: ResolvedShadow | undefined): DeploymentStep[] {
  return shadow === undefined ? [] : [{ type: 'shadow', percent: shadow.percent, durationMs: shadow.durationMs }];
}
