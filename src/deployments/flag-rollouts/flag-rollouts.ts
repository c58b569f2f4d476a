import { silentLogger, type Clock, type Db, type EventLog, type Logger } from '../../core/index.js';
import { definitionJson } from '../../flags/index.js';
import { ConflictError, InputError, NotFoundError, parseInput, resolveStrategy, strategySchema, type ResolvedApp, type ResolvedFlag, type ResolvedStrategy } from '../../shared/index.js';
import type { AlarmSource } from '../alarms/alarm-source.js';
import { decideFlagRollout } from './decide-flag-rollout.js';
import { FlagRolloutRecorder } from './flag-rollout-recorder.js';
import { FlagRolloutStore, type FlagRolloutFilter } from './flag-rollout-store.js';
import { isFlagRolloutTerminal, type FlagRollout, type FlagRolloutTarget } from './model.js';
import { planFlagRollout } from './plan-flag-rollout.js';

/** Options of {@link FlagRollouts}. */
export interface FlagRolloutsOptions {
  readonly app: ResolvedApp;
  readonly db: Db;
  /** The flag store whose served share the rollouts move. */
  readonly flags: FlagRolloutTarget;
  readonly events: EventLog;
  /** The same alarm source as the deployments' `rollbackOn`. */
  readonly alarms: AlarmSource;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/** What starting a rollout takes. */
export interface StartFlagRollout {
  readonly environment: string;
  /** The new definition, compiled (`compileFlag`); its key names the flag. */
  readonly to: ResolvedFlag;
  /** A strategy as in the app model. @default the environment's, when a flag can follow it; else all at once */
  readonly strategy?: unknown;
  readonly actor: string;
}

/** Who asks for a command, and why. */
export interface FlagRolloutCommand {
  readonly actor: string;
  readonly reason?: string;
}

/**
 * Flag changes as deployments: a rollout moves a flag from its stored definition to a new one in the
 * steps of a deployment strategy (all at once, or e.g. 5 → 25 → 50 → 100 % with a bake time at each),
 * watched by the environment's `rollbackOn` alarms, with pause, resume, promote and abort. The
 * persisted rollout is the only memory: `resumeAll()` picks up what a previous control plane left.
 *
 * An alarm reverts at once: the alarm source's notification runs the revert in the same turn (one
 * SQLite write of the flag's served share, then the events), without waiting for a tick. Everything
 * here is synchronous, so one rollout's transitions never interleave.
 */
export class FlagRollouts {
  readonly #o: FlagRolloutsOptions;
  readonly #store: FlagRolloutStore;
  readonly #recorder: FlagRolloutRecorder;
  readonly #logger: Logger;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #off: () => void;
  #closed = false;

  constructor(options: FlagRolloutsOptions) {
    this.#o = options;
    this.#store = new FlagRolloutStore(options.db);
    this.#recorder = new FlagRolloutRecorder(this.#store, options.events, options.clock);
    this.#logger = (options.logger ?? silentLogger).child('flag-rollouts');
    this.#off = options.alarms.subscribe((alarm, state) => {
      if (state !== 'ALARM' || this.#closed) return;
      const seenAt = performance.now();
      for (const r of this.#store.listActive()) {
        if (!r.watchedAlarms.includes(alarm)) continue;
        try {
          this.#revert(r, 'alarm', [alarm], `alarm ${alarm} in ALARM`, seenAt);
        } catch (err) {
          this.#logger.error('flag rollout was not reverted', { id: r.id, err });
          this.#schedule(r.id, 100);
        }
      }
    });
  }

  /**
   * Starts a rollout: the first step's share is served the new definition at once; an all-at-once
   * rollout succeeds before this returns.
   * @throws {NotFoundError} `SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND`, `SLW_ERR_FLAG_NOT_FOUND`
   * @throws {InputError} `SLW_ERR_FLAG_ROLLOUT_INVALID` (strategy, or the definition served already), `SLW_ERR_FLAG_INVALID`
   * @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS`
   */
  start(request: StartFlagRollout): FlagRollout {
    const { environment, to, actor } = request;
    const env = this.#o.app.environments[environment];
    if (env === undefined) {
      throw new NotFoundError('SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND', `no environment ${JSON.stringify(environment)} in the app model (it has ${Object.keys(this.#o.app.environments).map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
    }
    const strategy = request.strategy === undefined ? defaultStrategy(env.strategy) : resolveStrategy(parseInput(strategySchema, request.strategy, 'body.strategy', 'SLW_ERR_FLAG_ROLLOUT_INVALID'), { hasTestPort: env.testPort !== undefined, rollbackOn: env.rollbackOn });
    const plan = planFlagRollout(strategy);
    const analysisAlarms = strategy.kind === 'Canary' || strategy.kind === 'Linear' ? (strategy.analysis?.alarms ?? []) : [];
    const watchedAlarms = [...new Set([...env.rollbackOn, ...analysisAlarms])];
    const r = this.#store.transaction(() => {
      const stored = this.#o.flags.tryGet(environment, to.key);
      if (stored === undefined) throw new NotFoundError('SLW_ERR_FLAG_NOT_FOUND', `environment ${JSON.stringify(environment)} has no flag ${JSON.stringify(to.key)} (create it with \`slipway flags set\` first)`);
      if (this.serves(environment, to)) {
        throw new InputError('SLW_ERR_FLAG_ROLLOUT_INVALID', `flag ${JSON.stringify(to.key)} in ${JSON.stringify(environment)} already serves this definition (version ${stored.version}): nothing to roll out`, { issues: [{ path: 'body.definition', message: 'equal to the definition served' }] });
      }
      // Both halves of a rollout are served at once: a caller asking for a boolean must get one from either.
      if (typeof stored.flag.defaultValue !== typeof to.defaultValue) {
        const message = `expected a ${typeof stored.flag.defaultValue} like the served default (${JSON.stringify(stored.flag.defaultValue)}), got ${JSON.stringify(to.defaultValue)}: a rollout keeps the flag's type`;
        throw new InputError('SLW_ERR_FLAG_ROLLOUT_INVALID', `body.definition.default: ${message}`, { issues: [{ path: 'body.definition.default', message }] });
      }
      const nowMs = this.#o.clock.now();
      const first = plan[0]!;
      const inserted = this.#store.insert({
        environment, key: to.key, strategy: strategy.kind, plan, state: 'InProgress', stepIndex: 0, percent: first.percent, stepStartedAtMs: nowMs,
        fromVersion: stored.version, toVersion: null, from: stored.flag, to, watchedAlarms, actor, rollback: null, createdAtMs: nowMs, updatedAtMs: nowMs, finishedAtMs: null,
      });
      const served = this.#o.flags.beginRollout(environment, { id: inserted.id, percent: first.percent, flag: to });
      const started = served.rollout?.flag ?? to;
      this.#recorder.emit(inserted, 'flag.rollout.started', {
        strategy: strategy.kind, plan: [...plan], watchedAlarms, reason: `requested by ${actor}`,
        definition: { defaultValue: started.defaultValue, variants: started.variants ?? null, rules: started.rules },
      });
      return inserted;
    });
    return this.#tick(r.id) ?? r;
  }

  /** Whether `environment`'s stored flag already serves `flag`'s definition (nothing to roll out). */
  serves(environment: string, flag: ResolvedFlag): boolean {
    const stored = this.#o.flags.tryGet(environment, flag.key);
    return stored !== undefined && definitionJson(stored.flag) === definitionJson(flag);
  }

  /** One rollout. @throws {NotFoundError} `SLW_ERR_FLAG_ROLLOUT_NOT_FOUND` */
  get(id: number): FlagRollout {
    return this.#store.get(id);
  }

  /** Rollouts, newest first. */
  list(filter: FlagRolloutFilter = {}): FlagRollout[] {
    return this.#store.list(filter);
  }

  /** Holds the rollout at its share (alarms still revert it). @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` unless InProgress */
  pause(id: number, c: FlagRolloutCommand): FlagRollout {
    const r = this.#inState(id, ['InProgress'], 'pause');
    this.#cancel(id);
    const p = this.#recorder.save(r, { state: 'Paused' });
    this.#recorder.emit(p, 'flag.rollout.paused', { reason: c.reason ?? `paused by ${c.actor}` });
    return p;
  }

  /** Goes on from the current step, whose bake time starts again. @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` unless Paused */
  resume(id: number, c: FlagRolloutCommand): FlagRollout {
    const r = this.#inState(id, ['Paused'], 'resume');
    const next = this.#recorder.save(r, { state: 'InProgress', stepStartedAtMs: this.#o.clock.now() });
    this.#recorder.emit(next, 'flag.rollout.resumed', { reason: c.reason ?? `resumed by ${c.actor}` });
    return this.#tick(id) ?? next;
  }

  /** Skips the remaining steps: the new definition is kept and served to everyone. @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` unless InProgress or Paused */
  promote(id: number, c: FlagRolloutCommand): FlagRollout {
    const r = this.#inState(id, ['InProgress', 'Paused'], 'promote');
    this.#cancel(id);
    const p = this.#recorder.save(r, { stepIndex: r.plan.length - 1, percent: 100 });
    this.#recorder.emit(p, 'flag.rollout.promoted', { reason: c.reason ?? `promoted by ${c.actor}` });
    return this.#complete(p);
  }

  /** Serves the previous definition to everyone again; the rollout ends `Stopped`. @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` unless InProgress or Paused */
  abort(id: number, c: FlagRolloutCommand): FlagRollout {
    const seenAt = performance.now();
    const r = this.#inState(id, ['InProgress', 'Paused'], 'abort');
    return this.#revert(r, 'abort', [], c.reason ?? `aborted by ${c.actor}`, seenAt);
  }

  /** Picks up every active rollout (after a control-plane start): alarms are read again, bake times go on. */
  resumeAll(): number {
    const active = this.#store.listActive();
    for (const r of active) {
      if (r.state === 'InProgress') this.#recorder.emit(r, 'flag.rollout.resumed', { reason: 'control plane started' });
      this.#tick(r.id);
    }
    return active.length;
  }

  /** Stops watching alarms and timers (rollouts stay persisted; the next start resumes them). */
  close(): void {
    this.#closed = true;
    this.#off();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #inState(id: number, states: readonly FlagRollout['state'][], verb: string): FlagRollout {
    const r = this.#store.get(id);
    if (!states.includes(r.state)) throw new ConflictError('SLW_ERR_FLAG_ROLLOUT_STATE', `flag rollout ${id} is ${r.state}; only a rollout that is ${states.join(' or ')} can ${verb}`);
    return r;
  }

  /** Observes (alarm states, time), decides (pure), acts, persists; schedules the next look. */
  #tick(id: number): FlagRollout | undefined {
    if (this.#closed) return undefined;
    let r = this.#store.tryFind(id);
    if (r === undefined || isFlagRolloutTerminal(r.state)) return r;
    try {
      for (let i = 0; i < r.plan.length + 1; i++) {
        const states = this.#o.alarms.currentStates(r.watchedAlarms);
        const nowMs = this.#o.clock.now();
        const d = decideFlagRollout(r, { nowMs, alarmsInAlarm: r.watchedAlarms.filter((a) => states.get(a) === 'ALARM') });
        switch (d.type) {
          case 'none':
            return r;
          case 'revert':
            return this.#revert(r, 'alarm', d.alarms, `alarm ${d.alarms.join(', ')} in ALARM`, performance.now());
          case 'complete':
            return this.#complete(r);
          case 'wait':
            this.#schedule(id, d.atMs - nowMs);
            return r;
          case 'advance': {
            const index = r.stepIndex + 1;
            const step = r.plan[index]!;
            this.#o.flags.setRolloutPercent(r.environment, r.key, r.id, step.percent);
            const previousPercent = r.percent;
            r = this.#recorder.save(r, { stepIndex: index, percent: step.percent, stepStartedAtMs: nowMs });
            this.#recorder.emit(r, 'flag.rollout.step', { previousPercent, reason: `step ${index + 1} of ${r.plan.length}` });
          }
        }
      }
      return r;
    } catch (err) {
      this.#logger.warn('flag rollout tick failed', { id, error: (err as Error).message });
      this.#schedule(id, 1000);
      return r;
    }
  }

  #complete(r: FlagRollout): FlagRollout {
    this.#cancel(r.id);
    const written = this.#o.flags.completeRollout(r.environment, r.key, r.id, { actor: r.actor });
    const nowMs = this.#o.clock.now();
    const done = this.#recorder.save(r, { state: 'Succeeded', percent: 100, toVersion: written.version, finishedAtMs: nowMs });
    this.#recorder.emit(done, 'flag.rollout.succeeded', { version: written.version, durationMs: nowMs - r.createdAtMs, reason: 'all steps completed' });
    return done;
  }

  #revert(r: FlagRollout, trigger: 'alarm' | 'abort', alarms: readonly string[], reason: string, seenAt: number): FlagRollout {
    this.#cancel(r.id);
    this.#o.flags.revertRollout(r.environment, r.key, r.id);
    const revertMs = Math.round((performance.now() - seenAt) * 1000) / 1000;
    const revertedAtMs = this.#o.clock.now();
    const reachedPercent = r.percent;
    const done = this.#recorder.save(r, { state: trigger === 'abort' ? 'Stopped' : 'RolledBack', percent: 0, finishedAtMs: revertedAtMs, rollback: { trigger, alarms: [...alarms], reason, revertMs, revertedAtMs } });
    this.#recorder.emit(done, 'flag.rollout.rolled_back', { trigger, ...(alarms.length > 0 ? { alarms: [...alarms] } : {}), revertMs, revertedAtMs, reachedPercent, reason });
    return done;
  }

  #schedule(id: number, delayMs: number): void {
    if (this.#closed) return;
    this.#cancel(id);
    // Bake times can be long; a timer is capped so that the clock is looked at again (a restart resumes from the store).
    const timer = setTimeout(() => {
      this.#timers.delete(id);
      this.#tick(id);
    }, Math.max(1, Math.min(delayMs, 60_000)));
    timer.unref();
    this.#timers.set(id, timer);
  }

  #cancel(id: number): void {
    const t = this.#timers.get(id);
    if (t) clearTimeout(t);
    this.#timers.delete(id);
  }
}

/** The environment's strategy when a flag can follow it (all at once, canary, linear); else all at once. */
function defaultStrategy(s: ResolvedStrategy): ResolvedStrategy {
  return s.kind === 'AllAtOnce' || s.kind === 'Canary' || s.kind === 'Linear' ? s : { kind: 'AllAtOnce', codeDeployName: undefined };
}
