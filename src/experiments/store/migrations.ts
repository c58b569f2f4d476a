import type { Migration } from '../../core/index.js';

/**
 * The experiments context's table: one row per (environment, experiment) with its state — the
 * engine's only memory across restarts — and the summary of its last evaluation.
 */
export const experimentMigrations: readonly Migration[] = [
  {
    id: 'experiments-001-state',
    sql: `CREATE TABLE experiment_state (
      environment TEXT NOT NULL,
      name TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('Running', 'Stopped', 'Concluded')),
      started_at_ms INTEGER NOT NULL,
      ended_at_ms INTEGER,
      reason TEXT,
      verdict TEXT NOT NULL DEFAULT 'Inconclusive',
      winner TEXT,
      PRIMARY KEY (environment, name)
    ) STRICT;`,
  },
];
