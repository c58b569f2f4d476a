import type { Migration } from '../../core/index.js';

/** Tables of the deployments context: which revisions of each service run, with what share of traffic; deployments and their logs. */
export const deploymentMigrations: readonly Migration[] = [
  {
    id: 'deployments-001-revisions',
    sql: `CREATE TABLE deploy_revisions (
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      revision TEXT NOT NULL,
      source_dir TEXT NOT NULL,
      weight_percent INTEGER NOT NULL CHECK (weight_percent BETWEEN 0 AND 100),
      test_traffic INTEGER NOT NULL DEFAULT 0,
      desired_count INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      PRIMARY KEY (environment, service, revision)
    ) STRICT;
    CREATE TABLE deploy_service_ports (
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      port INTEGER NOT NULL,
      PRIMARY KEY (environment, service)
    ) STRICT;
    CREATE TABLE deploy_router_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    ) STRICT;`,
  },
  {
    id: 'deployments-002-deployments',
    sql: `ALTER TABLE deploy_revisions ADD COLUMN env_json TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE deploy_deployments (
      id INTEGER PRIMARY KEY,
      environment TEXT NOT NULL,
      service TEXT NOT NULL,
      state TEXT NOT NULL,
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      created_at_ms INTEGER NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX deploy_deployments_one_active ON deploy_deployments (environment, service) WHERE active = 1;
    CREATE INDEX deploy_deployments_by_service ON deploy_deployments (environment, service, id);
    CREATE TABLE deploy_logs (
      deployment_id INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      time_ms INTEGER NOT NULL,
      source TEXT NOT NULL,
      text TEXT NOT NULL,
      PRIMARY KEY (deployment_id, seq)
    ) STRICT;`,
  },
  {
    // The secret versions a revision's tasks get: names and versions only.
    id: 'deployments-secrets-001-revision-pins',
    sql: `ALTER TABLE deploy_revisions ADD COLUMN secrets_json TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    // The shadow comparison mirrored to a revision (the router's mirror rule), while a shadow step runs.
    id: 'deployments-shadow-001-revision-mirror',
    sql: `ALTER TABLE deploy_revisions ADD COLUMN shadow_json TEXT;`,
  },
  {
    // Flag rollouts: a flag moved to a new definition by the deployment engine, step by step.
    id: 'deployments-003-flag-rollouts',
    sql: `CREATE TABLE deploy_flag_rollouts (
      id INTEGER PRIMARY KEY,
      environment TEXT NOT NULL,
      key TEXT NOT NULL,
      state TEXT NOT NULL,
      active INTEGER NOT NULL CHECK (active IN (0, 1)),
      created_at_ms INTEGER NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX deploy_flag_rollouts_one_active ON deploy_flag_rollouts (environment, key) WHERE active = 1;`,
  },
];
