import type { Db } from '../../core/index.js';
import type { ChangeSet, ResolvedApp } from '../../shared/index.js';

/** Who applied a scope's model, and from what. */
export interface AppliedVersion {
  /** `env/<name>` or `app` (topics, alarms, the pipeline, dashboards). */
  readonly scope: string;
  /** The commit whose model it is; null for a working tree. */
  readonly commit: string | null;
  readonly appliedAtMs: number;
  /** `slipway up`, `slipway apply`, or `pipeline run <id>`. */
  readonly by: string;
  readonly planId: number | null;
  readonly runId: number | null;
}

/** A stored plan. */
export interface StoredPlan {
  readonly id: number;
  readonly createdAtMs: number;
  readonly commit: string | null;
  readonly runId: number | null;
  /** Where the model came from: a working tree's config file, or `<ref>`. */
  readonly source: string;
  readonly model: ResolvedApp;
  readonly changeSet: ChangeSet;
  /** The live fingerprint of each scope the plan changes, when it was made. */
  readonly fingerprints: Readonly<Record<string, string>>;
}

/** The apply of one scope of a plan, persisted change by change. */
export interface StoredApply {
  readonly id: number;
  readonly planId: number;
  readonly scope: string;
  readonly status: 'InProgress' | 'Succeeded' | 'Failed';
  /** Resource ids of its changes, in apply order. */
  readonly changes: readonly string[];
  /** Those applied so far. */
  readonly applied: readonly string[];
  /** The scope's model before the apply (to roll back to); null when the scope did not exist. */
  readonly previousModel: ResolvedApp | null;
  /** The scope runs the plan's model. */
  readonly swapped: boolean;
  readonly error: string | null;
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
}

/** A recorded override: drift on the resource is left alone until it expires. */
export interface Override {
  readonly id: number;
  readonly environment: string;
  readonly resourceId: string;
  readonly reason: string;
  readonly by: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly endedAtMs: number | null;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

/** The SQLite tables of `iacMigrations`. */
export class IacStore {
  constructor(private readonly db: Db) {}

  /** Every scope's applied model, with its version. */
  applied(): { version: AppliedVersion; model: ResolvedApp }[] {
    const rows = this.db.prepare('SELECT * FROM iac_applied ORDER BY scope').all() as Record<string, unknown>[];
    return rows.map((r) => ({ version: versionOf(r), model: parse<ResolvedApp>(r.model as string) }));
  }

  /** Records the model a scope runs (replacing the previous one); `model` undefined removes the scope. */
  setApplied(version: AppliedVersion, model: ResolvedApp | undefined): void {
    if (model === undefined) {
      this.db.prepare('DELETE FROM iac_applied WHERE scope = ?').run(version.scope);
      return;
    }
    this.db
      .prepare('INSERT INTO iac_applied (scope, model, source_commit, applied_at_ms, applied_by, plan_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET model = excluded.model, source_commit = excluded.source_commit, applied_at_ms = excluded.applied_at_ms, applied_by = excluded.applied_by, plan_id = excluded.plan_id, run_id = excluded.run_id')
      .run(version.scope, JSON.stringify(model), version.commit, version.appliedAtMs, version.by, version.planId, version.runId);
  }

  insertPlan(p: Omit<StoredPlan, 'id'>): StoredPlan {
    const r = this.db
      .prepare('INSERT INTO iac_plans (created_at_ms, source_commit, run_id, source, model, change_set, fingerprints) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.createdAtMs, p.commit, p.runId, p.source, JSON.stringify(p.model), JSON.stringify(p.changeSet), JSON.stringify(p.fingerprints));
    return { ...p, id: Number(r.lastInsertRowid) };
  }

  plan(id: number): StoredPlan | undefined {
    const r = this.db.prepare('SELECT * FROM iac_plans WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && planOf(r);
  }

  /** The newest plans, newest first; `beforeId` pages back. */
  recentPlans(limit: number, beforeId?: number): StoredPlan[] {
    const rows = this.db.prepare('SELECT * FROM iac_plans WHERE id < ? ORDER BY id DESC LIMIT ?').all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as Record<string, unknown>[];
    return rows.map(planOf);
  }

  /** The latest plan a pipeline run made. */
  planOfRun(runId: number): StoredPlan | undefined {
    const r = this.db.prepare('SELECT * FROM iac_plans WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId) as Record<string, unknown> | undefined;
    return r && planOf(r);
  }

  insertApply(a: Pick<StoredApply, 'planId' | 'scope' | 'changes' | 'previousModel' | 'startedAtMs'>): StoredApply {
    const r = this.db
      .prepare("INSERT INTO iac_applies (plan_id, scope, status, changes, applied, previous_model, started_at_ms) VALUES (?, ?, 'InProgress', ?, '[]', ?, ?)")
      .run(a.planId, a.scope, JSON.stringify(a.changes), a.previousModel === null ? null : JSON.stringify(a.previousModel), a.startedAtMs);
    return this.apply(Number(r.lastInsertRowid))!;
  }

  apply(id: number): StoredApply | undefined {
    const r = this.db.prepare('SELECT * FROM iac_applies WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && applyOf(r);
  }

  /** Applies of a plan, oldest first. */
  appliesOf(planId: number): StoredApply[] {
    return (this.db.prepare('SELECT * FROM iac_applies WHERE plan_id = ? ORDER BY id').all(planId) as Record<string, unknown>[]).map(applyOf);
  }

  /** Applies a control plane left in progress. */
  unfinishedApplies(): StoredApply[] {
    return (this.db.prepare("SELECT * FROM iac_applies WHERE status = 'InProgress' ORDER BY id").all() as Record<string, unknown>[]).map(applyOf);
  }

  /** The latest applies, newest first (history). */
  recentApplies(limit: number): StoredApply[] {
    return (this.db.prepare('SELECT * FROM iac_applies ORDER BY id DESC LIMIT ?').all(limit) as Record<string, unknown>[]).map(applyOf);
  }

  markApplied(id: number, resourceId: string): void {
    const a = this.apply(id)!;
    if (a.applied.includes(resourceId)) return;
    this.db.prepare('UPDATE iac_applies SET applied = ? WHERE id = ?').run(JSON.stringify([...a.applied, resourceId]), id);
  }

  markSwapped(id: number): void {
    this.db.prepare('UPDATE iac_applies SET swapped = 1 WHERE id = ?').run(id);
  }

  finishApply(id: number, status: 'Succeeded' | 'Failed', endedAtMs: number, error: string | null = null): void {
    this.db.prepare('UPDATE iac_applies SET status = ?, ended_at_ms = ?, error = ? WHERE id = ?').run(status, endedAtMs, error, id);
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertOverride(o: Omit<Override, 'id' | 'endedAtMs'>): Override {
    const r = this.db
      .prepare('INSERT INTO iac_overrides (environment, resource_id, reason, created_by, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(o.environment, o.resourceId, o.reason, o.by, o.createdAtMs, o.expiresAtMs);
    return { ...o, id: Number(r.lastInsertRowid), endedAtMs: null };
  }

  /** Overrides not ended yet (expired ones included, until {@link endOverride}). */
  openOverrides(): Override[] {
    return (this.db.prepare('SELECT * FROM iac_overrides WHERE ended_at_ms IS NULL ORDER BY id').all() as Record<string, unknown>[]).map(overrideOf);
  }

  endOverride(id: number, endedAtMs: number): Override | undefined {
    this.db.prepare('UPDATE iac_overrides SET ended_at_ms = ? WHERE id = ? AND ended_at_ms IS NULL').run(endedAtMs, id);
    const r = this.db.prepare('SELECT * FROM iac_overrides WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && overrideOf(r);
  }
}

function versionOf(r: Record<string, unknown>): AppliedVersion {
  return { scope: r.scope as string, commit: (r.source_commit as string | null) ?? null, appliedAtMs: r.applied_at_ms as number, by: r.applied_by as string, planId: (r.plan_id as number | null) ?? null, runId: (r.run_id as number | null) ?? null };
}

function planOf(r: Record<string, unknown>): StoredPlan {
  return {
    id: r.id as number,
    createdAtMs: r.created_at_ms as number,
    commit: (r.source_commit as string | null) ?? null,
    runId: (r.run_id as number | null) ?? null,
    source: r.source as string,
    model: parse<ResolvedApp>(r.model as string),
    changeSet: parse<ChangeSet>(r.change_set as string),
    fingerprints: parse<Record<string, string>>(r.fingerprints as string),
  };
}

function applyOf(r: Record<string, unknown>): StoredApply {
  return {
    id: r.id as number,
    planId: r.plan_id as number,
    scope: r.scope as string,
    status: r.status as StoredApply['status'],
    changes: parse<string[]>(r.changes as string),
    applied: parse<string[]>(r.applied as string),
    previousModel: r.previous_model === null ? null : parse<ResolvedApp>(r.previous_model as string),
    swapped: r.swapped === 1,
    error: (r.error as string | null) ?? null,
    startedAtMs: r.started_at_ms as number,
    endedAtMs: (r.ended_at_ms as number | null) ?? null,
  };
}

function overrideOf(r: Record<string, unknown>): Override {
  return {
    id: r.id as number,
    environment: r.environment as string,
    resourceId: r.resource_id as string,
    reason: r.reason as string,
    by: r.created_by as string,
    createdAtMs: r.created_at_ms as number,
    expiresAtMs: r.expires_at_ms as number,
    endedAtMs: (r.ended_at_ms as number | null) ?? null,
  };
}
