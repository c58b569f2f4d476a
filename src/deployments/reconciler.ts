import { silentLogger, type Clock, type EventLog, type Logger } from '../core/index.js';
import type { ResolvedApp } from '../shared/index.js';
import type { AlarmSource } from './alarms/alarm-source.js';
import { decide, type HealthLimits } from './decide.js';
import { isTerminal, type Deployment, type RollbackRecord } from './model.js';
import type { DeploymentRecorder } from './recorder.js';
import type { StepActions } from './step-actions.js';
import type { DeploymentStore } from './store/deployment-store.js';
import { findRevision, healthOf } from './target/service-description.js';
import type { TrafficTarget } from './target/traffic-target.js';

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  readonly app: ResolvedApp;
  readonly store: DeploymentStore;
  /** What carries the services' traffic: the only way the reconciler touches the data plane. */
  readonly target: TrafficTarget;
  readonly actions: StepActions;
  readonly recorder: DeploymentRecorder;
  readonly events: EventLog;
  readonly alarms: AlarmSource;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Time a start or scale-out step may take before the new revision counts as unhealthy. @default 60000 */
  readonly healthDeadlineMs?: number;
  /** Failed tasks in a row of the new revision that roll the deployment back. @default 3 */
  readonly crashLimit?: number;
  /** Delay before retrying a tick that failed. @default 1000 */
  readonly retryDelayMs?: number;
}

/** The alarms that roll a deployment back: the environment's `rollbackOn` and its analysis alarms. */
export function watchedAlarms(app: ResolvedApp, d: Deployment): string[] {
  const env = app.environments[d.environment];
  const s = d.strategy;
  const fromAnalysis = s.kind === 'Canary' || s.kind === 'Linear' ? (s.analysis?.alarms ?? []) : [];
  return [...new Set([...(env?.rollbackOn ?? []), ...fromAnalysis])];
}

/**
 * Drives deployments, Argo style: `tick(id)` observes (task health, alarm
 * states), decides (the pure {@link decide}), acts (one step action),
 * persists the status and an event, and schedules the next tick. The
 * persisted status is its only memory, so a restarted control plane resumes
 * every active deployment from its last persisted step (`resumeAll`).
 * Ticks and commands of one deployment are serialized.
 */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #logger: Logger;
  readonly #limits: HealthLimits;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #chains = new Map<number, Promise<unknown>>();
  /** performance.now() of a rollback trigger observed outside a tick (an alarm notification, an abort). */
  readonly #triggers = new Map<number, number>();
  readonly #offs: (() => void)[] = [];
  #closed = false;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
    this.#logger = (options.logger ?? silentLogger).child('deployments');
    this.#limits = { healthDeadlineMs: options.healthDeadlineMs ?? 60_000, crashLimit: options.crashLimit ?? 3 };
    this.#offs.push(
      options.alarms.subscribe((alarm, state) => {
        if (state !== 'ALARM') return;
        const at = performance.now();
        for (const d of options.store.listActive()) {
          if ((d.state === 'InProgress' || d.state === 'Baking') && watchedAlarms(options.app, d).includes(alarm)) {
            if (!this.#triggers.has(d.id)) this.#triggers.set(d.id, at);
            this.kick(d.id);
          }
        }
      }),
      // Task health changes wake the deployments of that service at once.
      options.events.subscribe((e) => {
        if (!e.type.startsWith('task.')) return;
        const { environment, service } = e.data as { environment?: string; service?: string };
        const d = environment && service ? options.store.tryFindActive(environment, service) : undefined;
        if (d) this.kick(d.id);
      }),
    );
  }

  /** Schedules a tick of deployment `id` after `delayMs` (replacing a later one). */
  kick(id: number, delayMs = 0): void {
    if (this.#closed) return;
    const existing = this.#timers.get(id);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      void this.exclusive(id, () => this.#loop(id));
    }, delayMs);
    this.#timers.set(id, timer);
  }

  /** Runs `fn` when no tick or other command of deployment `id` runs. */
  exclusive<T>(id: number, fn: () => Promise<T>): Promise<T> {
    const run = (this.#chains.get(id) ?? Promise.resolve()).then(fn);
    const settled = run.catch(() => undefined);
    this.#chains.set(id, settled);
    void settled.then(() => {
      if (this.#chains.get(id) === settled) this.#chains.delete(id);
    });
    return run;
  }

  /** Notes that a rollback of `id` was asked for now, so its time is measured from here. */
  noteTrigger(id: number): void {
    if (!this.#triggers.has(id)) this.#triggers.set(id, performance.now());
  }

  /** Picks up every active deployment (after a control-plane start). */
  resumeAll(): number {
    const active = this.#o.store.listActive();
    for (const d of active) {
      this.#o.recorder.emit(d, 'deployment.resumed', { reason: 'control plane started' });
      this.kick(d.id);
    }
    return active.length;
  }

  /** Stops scheduling and waits for running ticks. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const off of this.#offs) off();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await Promise.all([...this.#chains.values()]);
  }

  async #loop(id: number): Promise<void> {
    for (let i = 0; i < 100 && !this.#closed; i++) {
      const delay = await this.tick(id);
      if (delay === undefined) return;
      if (delay > 0) {
        this.kick(id, Math.min(delay, 1000));
        return;
      }
    }
    if (!this.#closed) this.kick(id, 10);
  }

  /**
   * One reconciliation of deployment `id`. Returns the delay before the next
   * tick (0: at once), or undefined when nothing is pending.
   */
  async tick(id: number): Promise<number | undefined> {
    const started = performance.now();
    let d = this.#o.store.tryFind(id);
    if (!d || isTerminal(d.state)) return undefined;
    const { recorder, actions } = this.#o;
    try {
      const watched = watchedAlarms(this.#o.app, d);
      const states = this.#o.alarms.currentStates(watched);
      const observation = {
        nowMs: this.#o.clock.now(),
        newHealth: healthOf(this.#o.target.describe(d.environment, d.service), d.toRevision),
        alarmsInAlarm: watched.filter((a) => states.get(a) === 'ALARM'),
      };
      const decision = decide(d, observation, this.#limits);
      switch (decision.type) {
        case 'none':
          return undefined;
        case 'poll':
          return Math.max(1, decision.atMs - observation.nowMs);
        case 'complete': {
          d = recorder.save(d, { state: 'Succeeded', finishedAtMs: this.#o.clock.now(), message: null });
          recorder.emit(d, 'deployment.succeeded', { durationMs: d.finishedAtMs! - d.createdAtMs, reason: 'all steps completed' });
          return undefined;
        }
        case 'rollback':
          this.noteTrigger(id);
          d = this.#startRollback(d, decision.reason, decision.trigger, 'RolledBack', decision.alarms);
          return await this.#rollback(d, started);
        case 'continueRollback':
          return await this.#rollback(d, started);
        case 'advance':
          this.#advance(d);
          return 0;
        case 'analyze': {
          const r = await actions.analyze(d);
          if (r.outcome === 'continue') this.#advance(r.d);
          else if (r.outcome === 'retry') recorder.save(r.d, { stepActed: false });
          else if (r.outcome === 'pause') {
            const reason = `analysis ${r.d.analysisRuns.at(-1)?.verdict ?? ''}: ${r.d.analysisRuns.at(-1)?.reasons.join('; ') ?? ''}`;
            const p = recorder.save(r.d, { state: 'Paused', pausedBy: 'analysis', pausedReason: reason });
            recorder.emit(p, 'deployment.paused', { reason });
            return undefined;
          } else {
            this.noteTrigger(id);
            return await this.#rollback(this.#startRollback(r.d, `analysis failed: ${r.d.analysisRuns.at(-1)?.reasons.join('; ') ?? ''}`, 'analysis', 'RolledBack'), started);
          }
          return 0;
        }
        case 'judgeShadow': {
          const r = await actions.judgeShadow(d);
          const run = r.d.shadowRuns?.at(-1);
          const why = `shadow ${run?.verdict ?? ''}: ${run?.reasons.join('; ') ?? ''}`;
          if (r.outcome === 'continue') this.#advance(r.d);
          else if (r.outcome === 'pause') {
            const p = recorder.save(r.d, { state: 'Paused', pausedBy: 'analysis', pausedReason: why });
            recorder.emit(p, 'deployment.paused', { reason: why });
            return undefined;
          } else {
            this.noteTrigger(id);
            return await this.#rollback(this.#startRollback(r.d, why, 'shadow', 'RolledBack'), started);
          }
          return 0;
        }
        case 'act': {
          if (d.state === 'Created') {
            d = recorder.save(d, { state: 'InProgress' });
            recorder.emit(d, 'deployment.started', { plan: d.plan, strategy: d.strategy.kind, reason: d.kind === 'Rollback' ? `rollback of deployment ${d.rollbackOf}` : 'requested' });
          }
          const step = d.plan[d.stepIndex]!;
          const index = d.stepIndex;
          if (!d.stepHistory.some((h) => h.index === index)) {
            d = recorder.save(d, { stepStartedAtMs: this.#o.clock.now(), stepHistory: [...d.stepHistory, { index: d.stepIndex, type: step.type, startedAtMs: this.#o.clock.now(), completedAtMs: null }] });
            recorder.emit(d, 'deployment.step.started', { step, reason: `step ${d.stepIndex + 1} of ${d.plan.length}` });
          }
          const r = await actions.act(d, step);
          if (r.next === 'advance') this.#advance(r.d);
          else if (r.next === 'rollback') {
            this.noteTrigger(id);
            return await this.#rollback(this.#startRollback(r.d, r.reason, r.trigger, 'RolledBack'), started);
          }
          return 0;
        }
      }
    } catch (err) {
      const message = (err as Error).message;
      this.#logger.warn('deployment tick failed', { id, error: message });
      const fresh = this.#o.store.tryFind(id);
      if (fresh && fresh.message !== message) recorder.save(fresh, { message });
      return this.#o.retryDelayMs ?? 1000;
    }
  }

  #advance(d: Deployment): Deployment {
    const now = this.#o.clock.now();
    const step = d.plan[d.stepIndex];
    const history = d.stepHistory.map((h) => (h.index === d.stepIndex && h.completedAtMs === null ? { ...h, completedAtMs: now } : h));
    const next = this.#o.recorder.save(d, { stepIndex: d.stepIndex + 1, stepActed: false, stepStartedAtMs: now, stepHistory: history, message: null, state: d.state === 'Baking' ? 'InProgress' : d.state });
    this.#o.recorder.emit(next, 'deployment.step.completed', { step, index: d.stepIndex, reason: `step ${d.stepIndex + 1} of ${d.plan.length} done` });
    return next;
  }

  #startRollback(d: Deployment, reason: string, trigger: RollbackRecord['trigger'], finalState: RollbackRecord['finalState'], alarms?: readonly string[]): Deployment {
    const next = this.#o.recorder.save(d, { rollback: { reason, trigger, finalState, requestedAtMs: this.#o.clock.now(), rollbackMs: null } });
    // The alarms that rolled it back, by name: incidents name this deployment as the cause of theirs.
    this.#o.recorder.emit(next, 'deployment.rollback.started', { trigger, reason, ...(alarms === undefined ? {} : { alarms: [...alarms] }) });
    return next;
  }

  /**
   * Rolls back: all traffic to the old revision first (one setWeights,
   * confirmed with verifyWeights), then the test listener released, the old
   * revision back at full size, and the new revision's tasks stopped.
   */
  async #rollback(d: Deployment, tickStarted: number): Promise<number | undefined> {
    const { target, recorder, actions } = this.#o;
    const rb = d.rollback!;
    const from = d.fromRevision;
    if (from === null || !findRevision(target.describe(d.environment, d.service), from)) {
      // A first deployment has nothing to go back to: the new revision stays, the deployment failed.
      d = recorder.save(d, { state: 'Failed', finishedAtMs: this.#o.clock.now(), message: `${rb.reason}; no previous revision to roll back to` });
      recorder.emit(d, 'deployment.failed', { trigger: rb.trigger, reason: d.message });
      this.#triggers.delete(d.id);
      return undefined;
    }
    if (rb.rollbackMs === null) {
      const old = healthOf(target.describe(d.environment, d.service), from);
      if (old.healthyCount === 0 || !old.routed) {
        if (old.desiredCount < d.desiredCount) await target.scaleRevision(d.environment, d.service, from, d.desiredCount);
        return 100;
      }
      const t0 = this.#triggers.get(d.id) ?? tickStarted;
      const ms = () => Math.round((performance.now() - t0) * 100) / 100;
      const before = d.weights;
      const phases: Record<string, number> = { tickStartedMs: Math.round((tickStarted - t0) * 100) / 100, shiftStartedMs: ms() };
      await target.setWeights(d.environment, d.service, { [from]: 100 }, `rollback of deployment ${d.id}`);
      phases.routerUpdatedMs = ms();
      const confirmed = await actions.verifyAllOn(d, from);
      const rollbackMs = ms();
      this.#triggers.delete(d.id);
      d = recorder.save(d, { weights: actions.currentWeights(d), rollback: { ...rb, rollbackMs } });
      recorder.emit(d, 'deployment.traffic.shifted', { from: before, to: d.weights, confirmed, rollbackMs, phases, trafficRestoredAtMs: this.#o.clock.now(), reason: `rollback: ${rb.reason}` });
    }
    const described = target.describe(d.environment, d.service);
    if (described.revisions.some((r) => r.testTraffic)) await target.setTestTraffic(d.environment, d.service, undefined);
    if (healthOf(described, from).desiredCount < d.desiredCount) await target.scaleRevision(d.environment, d.service, from, d.desiredCount);
    if (d.toRevision !== from && findRevision(target.describe(d.environment, d.service), d.toRevision)) await target.stopRevision(d.environment, d.service, d.toRevision);
    d = recorder.save(d, { state: rb.finalState, finishedAtMs: this.#o.clock.now(), weights: actions.currentWeights(d) });
    recorder.emit(d, 'deployment.rolled_back', { trigger: rb.trigger, rollbackMs: d.rollback!.rollbackMs, reason: rb.reason });
    return undefined;
  }
}
