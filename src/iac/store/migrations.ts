import type { Migration } from '../../core/index.js';

/** The tables of infrastructure as code: applied models, plans, applies and overrides. */
export const iacMigrations: readonly Migration[] = [
  {
    id: 'iac-001-state',
    sql: `CREATE TABLE iac_applied (
      scope TEXT PRIMARY KEY,
      model TEXT NOT NULL,
      source_commit TEXT,
      applied_at_ms INTEGER NOT NULL,
      applied_by TEXT NOT NULL,
      plan_id INTEGER,
      run_id INTEGER
    ) STRICT;
    CREATE TABLE iac_plans (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at_ms INTEGER NOT NULL,
      source_commit TEXT,
      run_id INTEGER,
      source TEXT NOT NULL,
      model TEXT NOT NULL,
      change_set TEXT NOT NULL,
      fingerprints TEXT NOT NULL
    ) STRICT;
    CREATE INDEX iac_plans_run ON iac_plans (run_id);
    CREATE TABLE iac_applies (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      plan_id INTEGER NOT NULL,
      scope TEXT NOT NULL,
      status TEXT NOT NULL,
      changes TEXT NOT NULL,
      applied TEXT NOT NULL,
      previous_model TEXT,
      swapped INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      started_at_ms INTEGER NOT NULL,
      ended_at_ms INTEGER
    ) STRICT;
    CREATE INDEX iac_applies_plan ON iac_applies (plan_id, scope);
    CREATE TABLE iac_overrides (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      environment TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL,
      ended_at_ms INTEGER
    ) STRICT;`,
  },
];
