import type { Migration } from '../../core/index.js';

/** The supervisor's tables; the composition root applies them with the others. */
export const runtimeMigrations: readonly Migration[] = [
  {
    id: 'runtime-001-tasks',
    sql: `CREATE TABLE runtime_task_sets (
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      revision TEXT NOT NULL,
      spec TEXT NOT NULL,
      desired_count INTEGER NOT NULL,
      failure_streak INTEGER NOT NULL DEFAULT 0,
      next_start_at_ms INTEGER NOT NULL DEFAULT 0,
      last_scale_out_ms INTEGER,
      last_scale_in_ms INTEGER,
      created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL,
      PRIMARY KEY (environment, service, revision)
    ) STRICT;
    CREATE TABLE runtime_tasks (
      id TEXT PRIMARY KEY,
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      revision TEXT NOT NULL,
      state TEXT NOT NULL,
      pid INTEGER,
      pgid INTEGER,
      port INTEGER NOT NULL,
      proc_start_ticks INTEGER,
      started_at_ms INTEGER NOT NULL,
      healthy_since_ms INTEGER,
      health_successes INTEGER NOT NULL DEFAULT 0,
      health_failures INTEGER NOT NULL DEFAULT 0,
      last_health_error TEXT,
      restarts INTEGER NOT NULL DEFAULT 0,
      exit_code INTEGER,
      exit_signal TEXT,
      reason TEXT,
      ended_at_ms INTEGER,
      replaced_by TEXT,
      stdout_path TEXT NOT NULL,
      stderr_path TEXT NOT NULL,
      stdout_offset INTEGER NOT NULL DEFAULT 0,
      stderr_offset INTEGER NOT NULL DEFAULT 0,
      updated_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX runtime_tasks_set ON runtime_tasks (environment, service, revision, state);
    CREATE INDEX runtime_tasks_state ON runtime_tasks (state);
    CREATE TABLE runtime_log_lines (
      id INTEGER PRIMARY KEY,
      task_id TEXT NOT NULL,
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      revision TEXT NOT NULL,
      stream TEXT NOT NULL,
      time_ms INTEGER NOT NULL,
      line TEXT NOT NULL
    ) STRICT;
    CREATE INDEX runtime_log_lines_task ON runtime_log_lines (task_id, id);
    CREATE INDEX runtime_log_lines_service ON runtime_log_lines (environment, service, id);`,
  },
  {
    id: 'runtime-002-scaling-state',
    sql: `CREATE TABLE runtime_scaling_bounds (
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      min_tasks INTEGER,
      max_tasks INTEGER,
      schedule TEXT,
      changed_at_ms INTEGER,
      checked_at_ms INTEGER NOT NULL,
      PRIMARY KEY (environment, service)
    ) STRICT;
    CREATE TABLE runtime_scaling_activity (
      policy TEXT PRIMARY KEY,
      at_ms INTEGER NOT NULL
    ) STRICT;`,
  },
];
