import type { Migration } from '../../core/index.js';

/** Tables of the deployments context: which revisions of each service run, with what share of traffic. */
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
];
