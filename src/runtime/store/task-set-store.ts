import type { Db } from '../../core/index.js';
import type { TaskSetSpec, TaskSetKey } from '../model.js';

/** A task set as stored: what should run, and the set's healing and scaling memory. */
export interface TaskSetRecord extends TaskSetKey {
  readonly spec: TaskSetSpec;
  /** How many tasks should run now (the spec's count, or the autoscaler's). */
  readonly desiredCount: number;
  /** Failed tasks in a row; drives the restart backoff. */
  readonly failureStreak: number;
  /** No task of the set starts before this time (backoff). */
  readonly nextStartAtMs: number;
  readonly lastScaleOutMs: number | null;
  readonly lastScaleInMs: number | null;
}

interface Row {
  environment: string;
  service: string;
  revision: string;
  spec: string;
  desired_count: number;
  failure_streak: number;
  next_start_at_ms: number;
  last_scale_out_ms: number | null;
  last_scale_in_ms: number | null;
}

/** The `runtime_task_sets` table: the desired state adoption restores. */
export class TaskSetStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Creates the set or replaces its spec and desired count. */
  upsert(spec: TaskSetSpec, desiredCount: number, nowMs: number): void {
    this.#db
      .prepare(
        `INSERT INTO runtime_task_sets (environment, service, revision, spec, desired_count, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment, service, revision) DO UPDATE SET spec = excluded.spec,
           desired_count = excluded.desired_count, updated_at_ms = excluded.updated_at_ms`,
      )
      .run(spec.environment, spec.service, spec.revision, JSON.stringify(spec), desiredCount, nowMs, nowMs);
  }

  /** Updates the healing and scaling fields of a set. */
  update(key: TaskSetKey, patch: Partial<Pick<TaskSetRecord, 'desiredCount' | 'failureStreak' | 'nextStartAtMs' | 'lastScaleOutMs' | 'lastScaleInMs'>>, nowMs: number): void {
    const cols: Record<string, string> = {
      desiredCount: 'desired_count',
      failureStreak: 'failure_streak',
      nextStartAtMs: 'next_start_at_ms',
      lastScaleOutMs: 'last_scale_out_ms',
      lastScaleInMs: 'last_scale_in_ms',
    };
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    this.#db
      .prepare(`UPDATE runtime_task_sets SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')}, updated_at_ms = ? WHERE environment = ? AND service = ? AND revision = ?`)
      .run(...entries.map(([, v]) => v), nowMs, key.environment, key.service, key.revision);
  }

  /** The set, or undefined. */
  tryFind(key: TaskSetKey): TaskSetRecord | undefined {
    const row = this.#db
      .prepare<[string, string, string], Row>('SELECT * FROM runtime_task_sets WHERE environment = ? AND service = ? AND revision = ?')
      .get(key.environment, key.service, key.revision);
    return row && toRecord(row);
  }

  /** Every set, in creation order. */
  list(): TaskSetRecord[] {
    return this.#db.prepare<[], Row>('SELECT * FROM runtime_task_sets ORDER BY created_at_ms, rowid').all().map(toRecord);
  }

  /** Removes a set (its tasks are stopped by the supervisor). Returns whether it existed. */
  delete(key: TaskSetKey): boolean {
    return this.#db.prepare('DELETE FROM runtime_task_sets WHERE environment = ? AND service = ? AND revision = ?').run(key.environment, key.service, key.revision).changes > 0;
  }
}

function toRecord(r: Row): TaskSetRecord {
  return {
    environment: r.environment,
    service: r.service,
    revision: r.revision,
    spec: JSON.parse(r.spec) as TaskSetSpec,
    desiredCount: r.desired_count,
    failureStreak: r.failure_streak,
    nextStartAtMs: r.next_start_at_ms,
    lastScaleOutMs: r.last_scale_out_ms,
    lastScaleInMs: r.last_scale_in_ms,
  };
}
