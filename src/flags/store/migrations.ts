import type { Migration } from '../../core/index.js';

/**
 * Tables of the flags context: each flag's current definition per environment (`flag_state`), and
 * every version it ever had (`flag_versions`), so a change can be shown, compared and reverted.
 */
export const flagMigrations: readonly Migration[] = [
  {
    id: 'flags-001-definitions',
    sql: `CREATE TABLE flag_state (
      environment TEXT NOT NULL,
      key TEXT NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      definition TEXT NOT NULL,
      updated_at_ms INTEGER NOT NULL,
      PRIMARY KEY (environment, key)
    ) STRICT;
    CREATE TABLE flag_versions (
      environment TEXT NOT NULL,
      key TEXT NOT NULL,
      version INTEGER NOT NULL,
      time_ms INTEGER NOT NULL,
      change TEXT NOT NULL CHECK (change IN ('Seeded', 'Created', 'Updated', 'Enabled', 'Disabled')),
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      definition TEXT NOT NULL,
      actor TEXT NOT NULL,
      PRIMARY KEY (environment, key, version)
    ) STRICT;`,
  },
  {
    // A rollout in flight serves its new definition to a share of contexts beside the stored one:
    // { id, percent, definition } as JSON, null when none. The stored definition stays what a revert serves.
    id: 'flags-002-rollouts',
    sql: `ALTER TABLE flag_state ADD COLUMN rollout TEXT;`,
  },
];
