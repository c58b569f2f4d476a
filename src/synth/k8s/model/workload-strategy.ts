import type { ResolvedEnvironment, ResolvedService } from '../../../shared/index.js';
import type { SynthWarnings } from '../../aws/model/synth-warnings.js';
import type { TrafficRouting } from '../options.js';
import { goDuration, seconds } from './names.js';

/** One step of an Argo Rollouts canary, as the Rollout spec writes it. */
export type CanaryStep =
  | { readonly setWeight: number }
  | { readonly pause: { readonly duration: string } }
  | { readonly analysis: { readonly templates: readonly { readonly templateName: string }[] } };

/** The names of a service's Services and Ingress the strategy refers to. */
export interface StrategyRefs {
  readonly stableService: string;
  readonly canaryService: string;
  readonly previewService: string;
  /** The service's Ingress, when it has an ingress path. */
  readonly ingress: string | undefined;
}

/** How a service is rolled out on Kubernetes: a plain Deployment, or an Argo Rollout with its strategy. */
export type WorkloadStrategy =
  | { readonly kind: 'Deployment'; readonly strategy: { readonly type: 'RollingUpdate'; readonly rollingUpdate: { readonly maxSurge: number | string; readonly maxUnavailable: number | string } } }
  | { readonly kind: 'Rollout'; readonly strategy: { readonly canary: Record<string, unknown> } | { readonly blueGreen: Record<string, unknown> }; readonly services: readonly ('canary' | 'preview')[] };

/** What {@link workloadStrategy} needs besides the strategy. */
export interface WorkloadStrategyContext {
  readonly service: ResolvedService;
  readonly environment: ResolvedEnvironment;
  readonly refs: StrategyRefs;
  readonly trafficRouting: TrafficRouting;
  /** AnalysisTemplates watched during the rollout (one per `rollbackOn` alarm of this service, then the canary thresholds). */
  readonly analysisTemplates: readonly string[];
  readonly warnings: SynthWarnings;
}

/**
 * Maps the environment's strategy to Kubernetes. All-at-once and rolling become a Deployment's
 * `RollingUpdate` (`maxSurge`/`maxUnavailable`) — or, when alarms must be watched, an Argo Rollout
 * canary without steps (the same rolling update plus background analysis). Canary and linear become a
 * Rollout canary whose `setWeight` steps are the model's steps, each but the last held for the interval
 * (as locally); blue/green becomes a Rollout `blueGreen` with an active and (with test traffic) a
 * preview Service.
 */
export function workloadStrategy(ctx: WorkloadStrategyContext): WorkloadStrategy {
  const { environment, refs } = ctx;
  const strategy = environment.strategy;
  const path = `environments.${environment.name}.strategy`;
  const analysis = ctx.analysisTemplates.length === 0 ? undefined : { templates: ctx.analysisTemplates.map((templateName) => ({ templateName })) };
  if ((strategy.kind === 'Canary' || strategy.kind === 'Linear' || strategy.kind === 'BlueGreen') && strategy.shadow !== undefined) {
    ctx.warnings.add(`${path}.shadow`, 'not applied: Argo Rollouts mirrors traffic only through a service mesh and never compares answers, so the shadow step runs only locally');
  }
  switch (strategy.kind) {
    case 'AllAtOnce':
    case 'Rolling': {
      const rollingUpdate = rollingBounds(strategy, ctx.service.scaling.min);
      if (analysis === undefined) return { kind: 'Deployment', strategy: { type: 'RollingUpdate', rollingUpdate } };
      return { kind: 'Rollout', strategy: { canary: { ...rollingUpdate, analysis } }, services: [] };
    }
    case 'Canary':
    case 'Linear': {
      const steps: CanaryStep[] = [];
      strategy.steps.forEach((weight, i) => {
        steps.push({ setWeight: weight });
        if (i < strategy.steps.length - 1) steps.push({ pause: { duration: goDuration(strategy.intervalMs) } });
      });
      if (strategy.intervalMs % 1000 !== 0) ctx.warnings.add(`${path}.interval`, `${strategy.intervalMs}ms becomes ${goDuration(strategy.intervalMs)} (Argo Rollouts pauses are whole seconds)`);
      const canary: Record<string, unknown> = { stableService: refs.stableService, canaryService: refs.canaryService, steps };
      if (analysis !== undefined) canary.analysis = analysis;
      if (refs.ingress !== undefined) {
        canary.trafficRouting =
          ctx.trafficRouting === 'alb'
            ? { alb: { ingress: refs.ingress, servicePort: 80 } }
            : { nginx: { stableIngress: refs.ingress } };
      } else {
        ctx.warnings.add(
          `services.${ctx.service.name}`,
          `no ingress: in ${environment.name} Argo Rollouts approximates the canary weights by pod counts (no traffic router in front of the Service)`,
        );
      }
      return { kind: 'Rollout', strategy: { canary }, services: ['canary'] };
    }
    case 'BlueGreen': {
      const blueGreen: Record<string, unknown> = {
        activeService: refs.stableService,
        autoPromotionEnabled: true,
        // Argo keeps the old ReplicaSet this long after the switch: slipway's bake and keep-old times.
        scaleDownDelaySeconds: seconds(Math.max(strategy.bakeTimeMs, strategy.terminateBlueAfterMs, 30_000)),
      };
      const services: ('preview' | 'canary')[] = [];
      if (strategy.testTraffic) {
        blueGreen.previewService = refs.previewService;
        services.push('preview');
      }
      if (analysis !== undefined) blueGreen.postPromotionAnalysis = analysis;
      if (environment.hooks.AfterAllowTestTraffic !== undefined || environment.hooks.BeforeAllowTraffic !== undefined) {
        // A hook between test traffic and the switch has to pass before promotion: hold for a manual promote.
        blueGreen.autoPromotionEnabled = false;
      }
      return { kind: 'Rollout', strategy: { blueGreen }, services };
    }
  }
}

/**
 * `maxSurge`/`maxUnavailable` of a rolling update: all at once surges a full copy; a batch of N (or N %)
 * surges that much, and `minHealthyPercent` leaves the rest unavailable at most.
 */
export function rollingBounds(
  strategy: Extract<ResolvedEnvironment['strategy'], { kind: 'AllAtOnce' | 'Rolling' }>,
  desired: number,
): { maxSurge: number | string; maxUnavailable: number | string } {
  if (strategy.kind === 'AllAtOnce') return { maxSurge: '100%', maxUnavailable: 0 };
  const maxSurge = strategy.batchSize !== undefined ? Math.max(1, strategy.batchSize) : `${strategy.batchPercent ?? 100}%`;
  const unavailable = 100 - strategy.minHealthyPercent;
  // Kubernetes rejects maxSurge and maxUnavailable both 0; a surge is always at least one pod.
  const maxUnavailable = unavailable <= 0 || desired <= 1 ? 0 : `${unavailable}%`;
  return { maxSurge, maxUnavailable };
}
