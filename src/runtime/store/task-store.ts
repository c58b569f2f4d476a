import type { Db } from '../../core/index.js';
import { TERMINAL_TASK_STATES, type Task, type TaskFilter, type TaskSetKey } from '../model.js';

/** A task as stored, with the bookkeeping the public {@link Task} leaves out. */
export interface TaskRecord extends Task {
  /** Start time of the process in clock ticks since boot (`/proc/<pid>/stat` field 22), to tell a reused pid apart. */
  readonly procStartTicks: number | null;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Bytes of each log file already read. */
  readonly stdoutOffset: number;
  readonly stderrOffset: number;
}

/** Fields of a task that change after it is created. */
export type TaskPatch = Partial<Omit<TaskRecord, 'id' | 'environment' | 'service' | 'revision' | 'stdoutPath' | 'stderrPath'>>;

const COLUMNS: Record<keyof TaskRecord, string> = {
  id: 'id',
  environment: 'environment',
  service: 'service',
  revision: 'revision',
  state: 'state',
  pid: 'pid',
  pgid: 'pgid',
  port: 'port',
  procStartTicks: 'proc_start_ticks',
  startedAtMs: 'started_at_ms',
  healthySinceMs: 'healthy_since_ms',
  healthSuccesses: 'health_successes',
  healthFailures: 'health_failures',
  lastHealthError: 'last_health_error',
  restarts: 'restarts',
  exitCode: 'exit_code',
  exitSignal: 'exit_signal',
  reason: 'reason',
  endedAtMs: 'ended_at_ms',
  replacedBy: 'replaced_by',
  stdoutPath: 'stdout_path',
  stderrPath: 'stderr_path',
  stdoutOffset: 'stdout_offset',
  stderrOffset: 'stderr_offset',
};
const SELECT = `SELECT ${Object.entries(COLUMNS).map(([k, c]) => `${c} AS ${k}`).join(', ')} FROM runtime_tasks`;

/** The `runtime_tasks` table: the supervisor's only memory of its tasks. */
export class TaskStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Inserts a new task. */
  insert(task: TaskRecord, nowMs: number): void {
    const keys = Object.keys(COLUMNS) as (keyof TaskRecord)[];
    const sql = `INSERT INTO runtime_tasks (${keys.map((k) => COLUMNS[k]).join(', ')}, updated_at_ms) VALUES (${keys.map(() => '?').join(', ')}, ?)`;
    this.#db.prepare(sql).run(...keys.map((k) => task[k]), nowMs);
  }

  /** Updates some fields of a task. */
  update(id: string, patch: TaskPatch, nowMs: number): void {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof TaskRecord, unknown][];
    if (entries.length === 0) return;
    const sql = `UPDATE runtime_tasks SET ${entries.map(([k]) => `${COLUMNS[k]} = ?`).join(', ')}, updated_at_ms = ? WHERE id = ?`;
    this.#db.prepare(sql).run(...entries.map(([, v]) => v), nowMs, id);
  }

  /** The task with this id, or undefined. */
  tryFind(id: string): TaskRecord | undefined {
    return this.#db.prepare<[string], TaskRecord>(`${SELECT} WHERE id = ?`).get(id);
  }

  /** Tasks matching the filter, oldest first. */
  list(filter: TaskFilter = {}): TaskRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    for (const k of ['environment', 'service', 'revision'] as const) {
      if (filter[k] !== undefined) {
        where.push(`${k} = ?`);
        params.push(filter[k]);
      }
    }
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return [];
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at_ms, rowid`;
    return this.#db.prepare<(string | number)[], TaskRecord>(sql).all(...params);
  }

  /** Deletes all but the newest `keep` ended tasks of a set (and their stored log lines). Returns the ids deleted. */
  pruneEnded(set: TaskSetKey, keep: number): string[] {
    const ids = this.#db
      .prepare<(string | number)[], { id: string }>(
        `SELECT id FROM runtime_tasks WHERE environment = ? AND service = ? AND revision = ? AND state IN (${TERMINAL_TASK_STATES.map(() => '?').join(', ')})
         ORDER BY COALESCE(ended_at_ms, started_at_ms) DESC, rowid DESC LIMIT -1 OFFSET ?`,
      )
      .all(set.environment, set.service, set.revision, ...TERMINAL_TASK_STATES, keep)
      .map((r) => r.id);
    if (ids.length === 0) return [];
    this.#db.transaction(() => {
      const delTask = this.#db.prepare('DELETE FROM runtime_tasks WHERE id = ?');
      const delLines = this.#db.prepare('DELETE FROM runtime_log_lines WHERE task_id = ?');
      for (const id of ids) {
        delTask.run(id);
        delLines.run(id);
      }
    })();
    return ids;
  }
}
