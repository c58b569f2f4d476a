import type { Migration } from '../../core/index.js';

/** Tables of runs, stages, actions, their logs, the source heads seen, the commits triggers started runs for, and webhook deliveries. */
export const runMigrations: readonly Migration[] = [
  {
    id: 'pipelines-003-runs',
    sql: `CREATE TABLE pipeline_runs (
      id INTEGER PRIMARY KEY,
      status TEXT NOT NULL,
      trigger TEXT NOT NULL,
      ref TEXT,
      branch TEXT,
      commit_sha TEXT NOT NULL,
      commit_message TEXT,
      plan TEXT NOT NULL,
      position_stage INTEGER NOT NULL DEFAULT 0,
      position_phase TEXT NOT NULL DEFAULT 'waiting',
      variables TEXT NOT NULL DEFAULT '{}',
      artifact TEXT,
      reason TEXT,
      created_ms INTEGER NOT NULL,
      started_ms INTEGER,
      ended_ms INTEGER
    ) STRICT;
    CREATE INDEX pipeline_runs_status ON pipeline_runs (status, id);
    CREATE TABLE pipeline_stage_runs (
      run_id INTEGER NOT NULL REFERENCES pipeline_runs (id),
      idx INTEGER NOT NULL,
      name TEXT NOT NULL,
      status TEXT NOT NULL,
      attempt INTEGER NOT NULL DEFAULT 0,
      started_ms INTEGER,
      ended_ms INTEGER,
      reason TEXT,
      PRIMARY KEY (run_id, idx)
    ) STRICT;
    CREATE TABLE pipeline_action_runs (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES pipeline_runs (id),
      stage_idx INTEGER NOT NULL,
      stage_name TEXT NOT NULL,
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      run_order INTEGER NOT NULL,
      status TEXT NOT NULL,
      attempt INTEGER NOT NULL DEFAULT 0,
      owner TEXT,
      started_ms INTEGER,
      ended_ms INTEGER,
      deadline_ms INTEGER,
      reason TEXT,
      configuration TEXT NOT NULL DEFAULT '{}',
      output TEXT NOT NULL DEFAULT '{}',
      decision TEXT,
      UNIQUE (run_id, stage_idx, name)
    ) STRICT;
    CREATE INDEX pipeline_action_runs_history ON pipeline_action_runs (stage_name, name, status, id);
    CREATE TABLE pipeline_logs (
      seq INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL,
      action_id INTEGER NOT NULL,
      time_ms INTEGER NOT NULL,
      stream TEXT NOT NULL,
      line TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pipeline_logs_run ON pipeline_logs (run_id, seq);
    CREATE TABLE pipeline_source_heads (
      ref TEXT PRIMARY KEY,
      sha TEXT NOT NULL,
      updated_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE pipeline_webhook_deliveries (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      received_ms INTEGER NOT NULL
    ) STRICT;`,
  },
  {
    // Every commit a trigger started a run for, per ref: a replayed or late push of one is refused.
    // Filled from the runs and heads already recorded, so an upgrade does not reopen old commits.
    id: 'pipelines-004-source-commits',
    sql: `CREATE TABLE pipeline_source_commits (
      ref TEXT NOT NULL,
      sha TEXT NOT NULL,
      claimed_ms INTEGER NOT NULL,
      PRIMARY KEY (ref, sha)
    ) STRICT;
    INSERT OR IGNORE INTO pipeline_source_commits (ref, sha, claimed_ms)
      SELECT ref, commit_sha, created_ms FROM pipeline_runs WHERE ref IS NOT NULL AND trigger IN ('poll', 'webhook');
    INSERT OR IGNORE INTO pipeline_source_commits (ref, sha, claimed_ms) SELECT ref, sha, updated_ms FROM pipeline_source_heads;
    CREATE INDEX pipeline_webhook_deliveries_received ON pipeline_webhook_deliveries (received_ms);`,
  },
  {
    // The images a run's image actions pushed (service → `registry/repository@sha256:…`): what its deploy actions run.
    id: 'pipelines-005-run-images',
    sql: `ALTER TABLE pipeline_runs ADD COLUMN images TEXT NOT NULL DEFAULT '{}';`,
  },
];
