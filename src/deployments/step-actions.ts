import type { Clock } from '../core/index.js';
import type { ResolvedApp } from '../shared/index.js';
import { analysisOutcome, assess } from './analysis/assess.js';
import { assessShadow, shadowOutcome, type ShadowOutcome } from './analysis/assess-shadow.js';
import { counterSamples, measurementsBetween } from './analysis/measure.js';
import type { MetricProvider } from './analysis/metric-provider.js';
import { runHook } from './hooks/run-hook.js';
import type { AnalysisRun, Deployment, DeploymentStep, RollbackRecord, ShadowRun } from './model.js';
import type { DeploymentRecorder } from './recorder.js';
import type { DeployLogStore } from './store/deploy-log-store.js';
import { findRevision, healthOf, weightsOf } from './target/service-description.js';
import { shadowId, type ShadowTarget } from './target/shadow-target.js';
import type { TrafficTarget } from './target/traffic-target.js';
import type { ResolvedShadow, ResolvedStrategy } from '../shared/index.js';

/** What the step actions need. */
export interface StepActionsOptions {
  readonly app: ResolvedApp;
  /** What carries the service's traffic. */
  readonly target: TrafficTarget;
  /** Where analysis reads request counts and latencies. */
  readonly metrics: MetricProvider;
  readonly recorder: DeploymentRecorder;
  readonly logs: DeployLogStore;
  readonly clock: Clock;
  /** Working directory of command hooks. */
  readonly appDir: string;
  /** Where shadow steps mirror and compare requests; without it a plan with a shadow step is refused. @default none */
  readonly shadow?: ShadowTarget;
}

/** The shadow settings of a strategy, if it has any. */
export function shadowOf(strategy: ResolvedStrategy): ResolvedShadow | undefined {
  return strategy.kind === 'Canary' || strategy.kind === 'Linear' || strategy.kind === 'BlueGreen' ? strategy.shadow : undefined;
}

/** The result of applying a step: the new status, and whether its gate is already met. */
export type ActResult = { readonly d: Deployment; readonly next: 'advance' | 'gate' } | { readonly d: Deployment; readonly next: 'rollback'; readonly reason: string; readonly trigger: RollbackRecord['trigger'] };

/**
 * The side effects of each kind of step. Every action is idempotent, so a
 * control plane that crashed mid-step simply applies the step again: a
 * revision that runs is left running, a weight already set is set again (the
 * router sees the same table), a retired revision stays retired.
 */
export class StepActions {
  constructor(private readonly o: StepActionsOptions) {}

  /** Applies the current step of `d`. */
  async act(d: Deployment, step: DeploymentStep): Promise<ActResult> {
    const { target, recorder } = this.o;
    const now = this.o.clock.now();
    switch (step.type) {
      case 'hook': {
        const def = this.o.app.environments[d.environment]?.hooks[step.hook];
        if (!def) return { d, next: 'advance' };
        const outcome = await runHook(def, {
          deploymentId: d.id,
          hook: step.hook,
          service: d.service,
          environment: d.environment,
          fromRevision: d.fromRevision,
          toRevision: d.toRevision,
          testUrl: await this.testUrl(d),
          serviceUrl: target.serviceUrl(d.environment, d.service),
          cwd: this.o.appDir,
        });
        if (outcome.output !== '') this.o.logs.append(d.id, this.o.clock.now(), `hook:${step.hook}`, outcome.output);
        const result = { hook: step.hook, result: outcome.ok ? 'Succeeded' : 'Failed', durationMs: outcome.durationMs, exitCode: outcome.exitCode, httpStatus: outcome.httpStatus, message: outcome.message, atMs: now } as const;
        const next = recorder.save(d, { hooks: [...d.hooks, result] });
        recorder.emit(next, 'deployment.hook.completed', { hook: step.hook, result: result.result, durationMs: result.durationMs, exitCode: result.exitCode, httpStatus: result.httpStatus, reason: outcome.message });
        return outcome.ok ? { d: next, next: 'advance' } : { d: next, next: 'rollback', reason: `hook ${step.hook} failed: ${outcome.message}`, trigger: 'hook' };
      }
      case 'start': {
        await target.startRevision({ environment: d.environment, service: d.service, revision: d.toRevision, sourceDir: d.sourceDir, desiredCount: step.desiredCount, env: d.env, ...(d.secrets === undefined ? {} : { secrets: d.secrets }), ...(d.image === undefined ? {} : { image: d.image }) });
        const next = recorder.save(d, { stepActed: true, weights: this.currentWeights(d) });
        recorder.emit(next, 'deployment.tasks.scaled', { revision: d.toRevision, desiredCount: step.desiredCount, tasks: this.taskCounts(d) });
        return { d: next, next: 'gate' };
      }
      case 'scale': {
        const revision = step.revision === 'new' ? d.toRevision : d.fromRevision;
        if (revision !== null) await target.scaleRevision(d.environment, d.service, revision, step.desiredCount);
        const next = recorder.save(d, { stepActed: true });
        recorder.emit(next, 'deployment.tasks.scaled', { revision, desiredCount: step.desiredCount, tasks: this.taskCounts(d) });
        return { d: next, next: 'gate' };
      }
      case 'testTraffic': {
        await target.setTestTraffic(d.environment, d.service, step.enabled ? d.toRevision : undefined);
        const next = recorder.save(d, { stepActed: true });
        recorder.emit(next, 'deployment.test_traffic.changed', { enabled: step.enabled, testUrl: await this.testUrl(d) });
        return { d: next, next: 'advance' };
      }
      case 'traffic': {
        const weights = d.fromRevision === null ? { [d.toRevision]: 100 } : { [d.fromRevision]: 100 - step.newPercent, [d.toRevision]: step.newPercent };
        await target.setWeights(d.environment, d.service, weights, `deployment ${d.id}`);
        const verified = await target.verifyWeights(d.environment, d.service);
        const next = recorder.save(d, { stepActed: true, weights });
        recorder.emit(next, 'deployment.traffic.shifted', { from: d.weights, to: weights, routerVersion: verified.version, tasks: this.taskCounts(d), reason: `step ${d.stepIndex}: ${step.newPercent}% to ${d.toRevision}` });
        return { d: next, next: 'advance' };
      }
      case 'wait': {
        const baseline = step.analysis ? counterSamples(await this.o.metrics.metrics(), d.environment, d.service) : null;
        const next = recorder.save(d, { stepActed: true, state: step.phase, stepStartedAtMs: this.o.clock.now(), baseline, baselineAtMs: baseline ? this.o.clock.now() : null });
        return { d: next, next: 'gate' };
      }
      case 'shadow': {
        const config = shadowOf(d.strategy);
        const shadow = this.o.shadow;
        if (config === undefined || shadow === undefined) return { d, next: 'rollback', reason: 'the shadow step cannot run: the traffic target does not mirror requests', trigger: 'shadow' };
        await shadow.startShadow({ environment: d.environment, service: d.service, revision: d.toRevision, id: shadowId(d.id, d.stepIndex), shadow: { ...config, percent: step.percent, durationMs: step.durationMs } });
        const next = recorder.save(d, { stepActed: true, stepStartedAtMs: this.o.clock.now() });
        return { d: next, next: 'gate' };
      }
      case 'retireOld': {
        const old = d.fromRevision;
        if (old !== null && findRevision(target.describe(d.environment, d.service), old)) await target.stopRevision(d.environment, d.service, old);
        const next = recorder.save(d, { stepActed: true, weights: this.currentWeights(d) });
        recorder.emit(next, 'deployment.revision.retired', { revision: old, reason: 'replaced' });
        return { d: next, next: 'advance' };
      }
    }
  }

  /** Runs the analysis that ends a wait; returns what to do next. */
  async analyze(d: Deployment): Promise<{ d: Deployment; outcome: ReturnType<typeof analysisOutcome> }> {
    const config = d.analysis!;
    const nowMs = this.o.clock.now();
    const windowMs = Math.max(1, nowMs - (d.baselineAtMs ?? nowMs));
    let run: AnalysisRun;
    try {
      const snapshot = await this.o.metrics.metrics(windowMs);
      const m = measurementsBetween(d.baseline ?? {}, snapshot, { environment: d.environment, service: d.service, canary: d.toRevision, stable: d.fromRevision, windowMs });
      const a = assess(m, config);
      run = { stepIndex: d.stepIndex, verdict: a.verdict, reasons: a.reasons, measurements: m, atMs: nowMs };
    } catch (err) {
      run = { stepIndex: d.stepIndex, verdict: 'Error', reasons: [(err as Error).message], measurements: null, atMs: nowMs };
    }
    const counts = {
      failedRuns: d.failedRuns + (run.verdict === 'Failed' ? 1 : 0),
      inconclusiveRuns: d.inconclusiveRuns + (run.verdict === 'Inconclusive' || run.verdict === 'Error' ? 1 : 0),
    };
    const outcome = analysisOutcome(run.verdict, counts, config);
    const next = this.o.recorder.save(d, { analysisRuns: [...d.analysisRuns, run], ...counts });
    this.o.recorder.emit(next, 'deployment.analysis.completed', { verdict: run.verdict, outcome, measurements: run.measurements, reason: run.reasons.join('; ') });
    return { d: next, outcome };
  }

  /**
   * Ends a shadow step: mirroring stops, the router's final report is read and judged, and
   * the run is recorded with a `deployment.shadow.completed` event.
   */
  async judgeShadow(d: Deployment): Promise<{ d: Deployment; outcome: ShadowOutcome }> {
    const config = shadowOf(d.strategy)!;
    const shadow = this.o.shadow!;
    const nowMs = this.o.clock.now();
    // Stopped first, so the report read next is final and the copies end whatever the verdict.
    await shadow.stopShadow(d.environment, d.service);
    let run: ShadowRun;
    try {
      const report = await shadow.shadowReport(shadowId(d.id, d.stepIndex));
      const a = assessShadow(report, config);
      run = { stepIndex: d.stepIndex, verdict: a.verdict, reasons: a.reasons, differingPercent: a.differingPercent, report, atMs: nowMs };
    } catch (err) {
      run = { stepIndex: d.stepIndex, verdict: 'Error', reasons: [(err as Error).message], differingPercent: null, report: null, atMs: nowMs };
    }
    const outcome = shadowOutcome(run.verdict);
    const next = this.o.recorder.save(d, { shadowRuns: [...(d.shadowRuns ?? []), run] });
    const r = run.report;
    this.o.recorder.emit(next, 'deployment.shadow.completed', {
      verdict: run.verdict,
      outcome,
      passed: run.verdict === 'Successful',
      shadowId: shadowId(d.id, d.stepIndex),
      compared: r?.compared ?? 0,
      differing: r?.differing ?? 0,
      differingPercent: run.differingPercent,
      fields: r?.fields ?? {},
      latency: r?.latency ?? null,
      reason: run.reasons.join('; '),
    });
    return { d: next, outcome };
  }

  /** The weights the target holds for the service now. */
  currentWeights(d: Deployment): Record<string, number> {
    return weightsOf(this.o.target.describe(d.environment, d.service));
  }

  /** Healthy tasks of the old and the new revision. */
  taskCounts(d: Deployment): Record<string, number> {
    const revs = [d.fromRevision, d.toRevision].filter((r): r is string => r !== null);
    const described = this.o.target.describe(d.environment, d.service);
    return Object.fromEntries(revs.map((r) => [r, healthOf(described, r).healthyCount]));
  }

  /** Whether the data plane serves 100% of the service from `revision`, read back from it. */
  async verifyAllOn(d: Deployment, revision: string): Promise<boolean> {
    const v = await this.o.target.verifyWeights(d.environment, d.service);
    return v.weights[revision] === 100;
  }

  /** URL of the environment's test listener, when it has one open. */
  testUrl(d: Deployment): Promise<string | undefined> {
    return this.o.target.testUrl(d.environment, d.service);
  }
}
