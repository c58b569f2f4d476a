import type { Db } from '../../core/index.js';
import type { TaskLogLine } from '../model.js';

/** Filters of {@link LogLineStore.tail}. */
export interface LogTailQuery {
  readonly taskId?: string;
  readonly environment?: string;
  readonly service?: string;
  readonly revision?: string;
  /** At most this many of the newest lines, returned oldest first. @default 100 */
  readonly limit?: number;
}

interface Row {
  task_id: string;
  environment: string;
  service: string;
  revision: string;
  stream: 'stdout' | 'stderr';
  time_ms: number;
  line: string;
}

/** The `runtime_log_lines` table: the last lines of each task, until telemetry stores them. */
export class LogLineStore {
  readonly #db: Db;
  readonly #insert;
  readonly #trim;
  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      'INSERT INTO runtime_log_lines (task_id, environment, service, revision, stream, time_ms, line) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#trim = db.prepare(
      `DELETE FROM runtime_log_lines WHERE task_id = ? AND id < (
         SELECT id FROM runtime_log_lines WHERE task_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
  }

  /** Appends lines, then keeps only the newest `maxLinesPerTask` of each task involved. Call inside a transaction. */
  append(lines: readonly TaskLogLine[], maxLinesPerTask: number): void {
    const tasks = new Set<string>();
    for (const l of lines) {
      this.#insert.run(l.taskId, l.environment, l.service, l.revision, l.stream, l.timeMs, l.line);
      tasks.add(l.taskId);
    }
    for (const id of tasks) this.#trim.run(id, id, maxLinesPerTask - 1);
  }

  /** The newest lines matching the query, oldest first. */
  tail(query: LogTailQuery = {}): TaskLogLine[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const cols = { taskId: 'task_id', environment: 'environment', service: 'service', revision: 'revision' } as const;
    for (const [k, c] of Object.entries(cols) as [keyof typeof cols, string][]) {
      const v = query[k];
      if (v !== undefined) {
        where.push(`${c} = ?`);
        params.push(v);
      }
    }
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 100)), 10_000);
    const rows = this.#db
      .prepare<(string | number)[], Row>(`SELECT * FROM runtime_log_lines ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`)
      .all(...params);
    return rows.reverse().map((r) => ({
      taskId: r.task_id,
      environment: r.environment,
      service: r.service,
      revision: r.revision,
      stream: r.stream,
      line: r.line,
      timeMs: r.time_ms,
    }));
  }
}
