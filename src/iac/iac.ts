import { systemClock, type Clock, type EventLog, type Logger } from '../core/index.js';
import { ConflictError, NotFoundError, SlipwayError, type Change, type ResolvedApp, type Resource } from '../shared/index.js';
import { desiredResources } from './desired-state.js';
import { APP_SCOPE, envScope, scopeOf, type LiveModel } from './live-model.js';
import { liveResources, scopeFingerprint } from './live-state.js';
import { planChanges } from './plan.js';
import type { LiveSystem, ObservedRevision, ObservedService } from './ports.js';
import type { AppliedVersion, IacStore, StoredApply, StoredPlan } from './store/iac-store.js';

/** Where a plan's model came from. */
export interface PlanSource {
  /** The commit, when the model is a commit's. */
  readonly commit: string | null;
  /** The pipeline run that made the plan. */
  readonly runId: number | null;
  /** A config file path or a ref, as the plan shows it. */
  readonly source: string;
}

/** A live resource and, for a service, what runs of it. */
export type LiveResource = Resource & { readonly observed: { readonly revisions: readonly ObservedRevision[]; readonly deploying: boolean } | null };

/** Options of an apply. */
export interface ApplyOptions {
  /** Who applies: `slipway apply`, `pipeline run 7`. */
  readonly by: string;
  readonly runId?: number | null;
  /** Confirms a destructive plan. @default false */
  readonly allowDestroy?: boolean;
}

/** What an apply of one scope did. */
export interface ScopeApplyReport {
  readonly scope: string;
  /** The apply record; null when the scope had no change (its version was still recorded). */
  readonly applyId: number | null;
  readonly applied: readonly string[];
}

/** Options of {@link InfrastructureAsCode}. */
export interface IacOptions {
  readonly store: IacStore;
  readonly live: LiveModel;
  readonly system: LiveSystem;
  readonly events: EventLog;
  readonly clock?: Clock;
  readonly logger: Logger;
}

/**
 * Plans and applies: the change set between an app model and the live state, applied scope by
 * scope (the app-wide resources, then each environment), change by change, each step persisted
 * so a control plane that stops in the middle resumes where it was ({@link resume}).
 */
export class InfrastructureAsCode {
  readonly #o: IacOptions;
  readonly #clock: Clock;
  /** One apply per scope at a time. */
  readonly #busy = new Set<string>();

  constructor(o: IacOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
  }

  /** The applied version of every scope. */
  versions(): AppliedVersion[] {
    return this.#o.store.applied().map((a) => a.version);
  }

  /** Plans `desired` against the live state and stores the plan (`iac.plan.created`). */
  async plan(desired: ResolvedApp, source: PlanSource): Promise<StoredPlan> {
    const live = liveResources(this.#o.live);
    const changeSet = planChanges(desiredResources(desired), live);
    const scopes = new Set([APP_SCOPE, ...this.#o.live.environments().map(envScope), ...Object.keys(desired.environments).map(envScope)]);
    const fingerprints: Record<string, string> = {};
    for (const scope of scopes) fingerprints[scope] = await scopeFingerprint(this.#o.live, this.#o.system, scope, live);
    const plan = this.#o.store.insertPlan({ createdAtMs: this.#clock.now(), commit: source.commit, runId: source.runId, source: source.source, model: desired, changeSet, fingerprints });
    this.#o.events.append({
      type: 'iac.plan.created',
      subject: `iac-plan/${plan.id}`,
      data: { planId: plan.id, commit: source.commit, runId: source.runId, changes: changeSet.changes.map((c) => ({ ...c, attributes: [...c.attributes] })), destructive: [...changeSet.destructive], liveFingerprint: changeSet.liveFingerprint },
    });
    return plan;
  }

  /**
   * The live state as resources, each service with what runs of it (revisions, weights, task
   * counts, health, secret versions), as `slipway state` shows it.
   */
  async liveState(): Promise<LiveResource[]> {
    const { live, system } = this.#o;
    const observed = new Map<string, ObservedService>();
    for (const env of live.environments()) for (const s of await system.observe(env)) observed.set(`service/${env}/${s.name}`, s);
    return liveResources(live).map((r) => {
      const s = r.type === 'service' ? observed.get(r.id) : undefined;
      return { ...r, observed: s === undefined ? null : { revisions: s.revisions, deploying: s.deploying } };
    });
  }

  /** A stored plan. @throws NotFoundError `SLW_ERR_IAC_PLAN_NOT_FOUND` */
  getPlan(id: number): StoredPlan {
    const p = this.#o.store.plan(id);
    if (!p) throw new NotFoundError('SLW_ERR_IAC_PLAN_NOT_FOUND', `no plan ${id}`);
    return p;
  }

  /** The newest plans, newest first; `beforeId` pages back. */
  plans(limit: number, beforeId?: number): StoredPlan[] {
    return this.#o.store.recentPlans(limit, beforeId);
  }

  /** The latest plan of a pipeline run, if it made one. */
  planOfRun(runId: number): StoredPlan | undefined {
    return this.#o.store.planOfRun(runId);
  }

  /** The applies of a plan, oldest first. */
  appliesOf(planId: number): StoredApply[] {
    return this.#o.store.appliesOf(planId);
  }

  /** The latest applies, newest first. */
  history(limit = 20): StoredApply[] {
    return this.#o.store.recentApplies(limit);
  }

  /**
   * Applies every scope of a plan: the app-wide resources first, then each environment the plan
   * has (the ones it removes last). Stops at the first scope that fails.
   */
  async apply(planId: number, options: ApplyOptions): Promise<ScopeApplyReport[]> {
    const plan = this.getPlan(planId);
    this.#refuseDestructive(plan, options);
    const envs = [...Object.keys(plan.model.environments), ...this.#o.live.environments().filter((e) => !Object.hasOwn(plan.model.environments, e))];
    const out: ScopeApplyReport[] = [];
    for (const scope of [APP_SCOPE, ...envs.map(envScope)]) out.push(await this.applyScope(plan, scope, options));
    return out;
  }

  /**
   * Applies one scope of a plan: refused when the scope's live state changed since the plan was
   * made (plan again) or when the plan is destructive and not confirmed. A scope the plan changes
   * nothing in just records that it runs the plan's model. Applying a scope twice does nothing
   * the second time.
   */
  async applyScope(plan: StoredPlan, scope: string, options: ApplyOptions): Promise<ScopeApplyReport> {
    this.#refuseDestructive(plan, options);
    const done = this.#o.store.appliesOf(plan.id).find((a) => a.scope === scope && a.status === 'Succeeded');
    if (done) return { scope, applyId: done.id, applied: done.applied };
    const changes = plan.changeSet.changes.filter((c) => scopeOf(c.resourceId) === scope);
    const removesScope = scope !== APP_SCOPE && !Object.hasOwn(plan.model.environments, scope.slice('env/'.length));
    if (changes.length === 0) {
      if (!removesScope && this.#o.live.model(scope) !== undefined) this.#o.store.setApplied(this.#version(plan, scope, options), plan.model);
      return { scope, applyId: null, applied: [] };
    }
    if (this.#busy.has(scope)) throw new ConflictError('SLW_ERR_IAC_APPLY_IN_PROGRESS', `another apply of ${scope} is in progress`);
    this.#busy.add(scope);
    try {
      const now = await scopeFingerprint(this.#o.live, this.#o.system, scope);
      if (plan.fingerprints[scope] !== undefined && plan.fingerprints[scope] !== now) {
        throw new ConflictError('SLW_ERR_IAC_PLAN_STALE', `plan ${plan.id} was made for another live state of ${scope} (it changed since: a deployment, a traffic shift or another apply); plan again`);
      }
      const previous = this.#o.live.model(scope);
      const previousVersion = this.#o.store.applied().find((a) => a.version.scope === scope)?.version ?? null;
      const rec = this.#o.store.insertApply({ planId: plan.id, scope, changes: changes.map((c) => c.resourceId), previousModel: previous ?? null, startedAtMs: this.#clock.now() });
      this.#previousVersions.set(rec.id, previousVersion);
      this.#o.events.append({ type: 'iac.apply.started', subject: `iac-plan/${plan.id}`, data: { applyId: rec.id, planId: plan.id, scope, changes: [...rec.changes] } });
      return await this.#run(rec, plan, options);
    } finally {
      this.#busy.delete(scope);
    }
  }

  /**
   * Goes on with the applies a previous control plane left in progress: each change not recorded
   * as applied is applied again (every step is idempotent). Never throws: a resumed apply that
   * fails is recorded as failed with exactly the changes that were applied.
   */
  async resume(): Promise<StoredApply[]> {
    const out: StoredApply[] = [];
    for (const rec of this.#o.store.unfinishedApplies()) {
      const plan = this.#o.store.plan(rec.planId);
      if (!plan) {
        this.#o.store.finishApply(rec.id, 'Failed', this.#clock.now(), `plan ${rec.planId} is gone`);
        continue;
      }
      this.#o.logger.info('resuming apply', { applyId: rec.id, planId: rec.planId, scope: rec.scope, applied: rec.applied.length, of: rec.changes.length });
      await this.#run(rec, plan, { by: 'resumed' }).catch((err: unknown) => this.#o.logger.warn('resumed apply failed', { applyId: rec.id, error: (err as Error).message }));
      out.push(this.#o.store.apply(rec.id)!);
    }
    return out;
  }

  readonly #previousVersions = new Map<number, AppliedVersion | null>();

  #refuseDestructive(plan: StoredPlan, options: ApplyOptions): void {
    if (plan.changeSet.destructive.length > 0 && !options.allowDestroy) {
      throw new ConflictError('SLW_ERR_IAC_PLAN_DESTRUCTIVE', `plan ${plan.id} needs --allow-destroy: ${plan.changeSet.destructive.join('; ')}`);
    }
  }

  #version(plan: StoredPlan, scope: string, options: ApplyOptions): AppliedVersion {
    return { scope, commit: plan.commit, appliedAtMs: this.#clock.now(), by: options.by, planId: plan.id, runId: options.runId ?? plan.runId };
  }

  /** Runs (or resumes) one scope's apply: removals first (drained while the old model still routes them), the model swap, then the rest in plan order. */
  async #run(rec: StoredApply, plan: StoredPlan, options: ApplyOptions): Promise<ScopeApplyReport> {
    const { store, live, system, events } = this.#o;
    const scope = rec.scope;
    const env = scope === APP_SCOPE ? undefined : scope.slice('env/'.length);
    const changes = rec.changes.map((id) => plan.changeSet.changes.find((c) => c.resourceId === id)!);
    const applied = new Set(rec.applied);
    // The record and its event in one transaction: a crash leaves both or neither, so a resumed apply reports each change once.
    const mark = (c: Change) => {
      store.transaction(() => {
        store.markApplied(rec.id, c.resourceId);
        events.append({ type: 'iac.change.applied', subject: `iac-plan/${plan.id}`, data: { applyId: rec.id, planId: plan.id, scope, change: { ...c, attributes: [...c.attributes] } } });
      });
      applied.add(c.resourceId);
    };
    const removesEnv = env !== undefined && !Object.hasOwn(plan.model.environments, env);
    let current: Change | undefined;
    let swapped = rec.swapped;
    try {
      // 1. What goes away drains while the current model still routes it.
      for (const c of changes) {
        if (applied.has(c.resourceId) || c.action !== 'Remove') continue;
        current = c;
        if (c.type === 'service') await system.retireService(env!, c.resourceId.split('/')[2]!);
        if (c.type !== 'environment' && c.type !== 'listener') mark(c);
      }
      if (removesEnv) {
        for (const service of Object.keys(live.model(scope)?.services ?? {})) await system.retireService(env, service);
      }
      // 2. The scope runs the plan's model from here on.
      if (!swapped) {
        current = undefined;
        store.transaction(() => {
          store.setApplied(this.#version(plan, scope, options), removesEnv ? undefined : plan.model);
          store.markSwapped(rec.id);
        });
        live.set(scope, removesEnv ? undefined : plan.model);
        swapped = true;
      }
      // 3. The rest, in plan order.
      for (const c of changes) {
        if (applied.has(c.resourceId)) continue;
        current = c;
        await this.#reconcile(c, env, `${options.by} (plan ${plan.id})`);
        mark(c);
      }
      store.finishApply(rec.id, 'Succeeded', this.#clock.now());
      events.append({ type: 'iac.apply.succeeded', subject: `iac-plan/${plan.id}`, data: { applyId: rec.id, planId: plan.id, scope, commit: plan.commit, applied: [...applied] } });
      return { scope, applyId: rec.id, applied: [...applied] };
    } catch (err) {
      const error = (err as Error).message;
      const done = changes.filter((c) => applied.has(c.resourceId));
      // Drained services cannot be brought back by an apply: they are kept removed (a redeploy restores them).
      const kept = done.filter((c) => c.action === 'Remove' && c.type === 'service').map((c) => c.resourceId);
      const rolledBack: string[] = [];
      if (swapped) {
        const previous = rec.previousModel ?? undefined;
        const version = this.#previousVersions.get(rec.id) ?? null;
        store.transaction(() => store.setApplied(version ?? { ...this.#version(plan, scope, options), by: 'rollback' }, previous));
        live.set(scope, previous);
        for (const c of done) {
          if (kept.includes(c.resourceId)) continue;
          await this.#reconcile(c, env, `${options.by} (plan ${plan.id}, rolled back)`).catch(() => undefined);
          rolledBack.push(c.resourceId);
        }
        await system.refreshRouting().catch(() => undefined);
      }
      store.finishApply(rec.id, 'Failed', this.#clock.now(), error);
      events.append({
        type: 'iac.apply.failed',
        subject: `iac-plan/${plan.id}`,
        data: { applyId: rec.id, planId: plan.id, scope, failed: current?.resourceId ?? scope, error, applied: done.map((c) => c.resourceId), rolledBack, kept },
      });
      throw new SlipwayError('SLW_ERR_IAC_APPLY_FAILED', `apply ${rec.id} of plan ${plan.id} (${scope}) stopped at ${current?.resourceId ?? 'the model swap'}: ${error}; applied: ${done.map((c) => c.resourceId).join(', ') || 'none'}${rolledBack.length ? `; rolled back: ${rolledBack.join(', ')}` : ''}${kept.length ? `; kept: ${kept.join(', ')}` : ''}`, { cause: err });
    }
  }

  /** Makes the running system match the live model for one change (after the swap; idempotent). `actor` names the apply. */
  async #reconcile(c: Change, env: string | undefined, actor: string): Promise<void> {
    const system = this.#o.system;
    switch (c.type) {
      case 'flag': {
        // An added flag was seeded by the swap; a removed one keeps being served as stored (see docs/iac.md).
        if (c.action !== 'Modify') return;
        const flag = this.#o.live.model(envScope(env!))?.flagsByEnvironment[env!]?.[c.resourceId.split('/')[2]!];
        if (flag !== undefined) await system.rollOutFlag(env!, flag, actor);
        return;
      }
      case 'environment':
      case 'listener':
        await system.refreshRouting();
        return;
      case 'service': {
        const service = c.resourceId.split('/')[2]!;
        if (c.action === 'Remove') return;
        if (c.action === 'Add' || c.attributes.some((a) => a.path === 'ingressPathPrefix')) await system.refreshRouting();
        if (c.action === 'Modify' && c.attributes.some((a) => a.path.startsWith('scaling'))) await system.rescale(env!, service);
        return;
      }
      default:
        // Alarms, topics and the pipeline are read from the live model; the swap made them live.
        return;
    }
  }
}
