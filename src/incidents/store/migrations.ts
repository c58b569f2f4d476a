import type { Migration } from '../../core/index.js';

/** The incidents context's tables: current status per incident, postmortems, and the event-log cursor. */
export const incidentMigrations: readonly Migration[] = [
  {
    id: 'incidents-001-incidents',
    sql: `CREATE TABLE incidents (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      severity TEXT NOT NULL,
      state TEXT NOT NULL,
      source TEXT NOT NULL,
      dedup_key TEXT,
      alarm TEXT,
      alarm_state TEXT,
      service TEXT,
      environment TEXT,
      deployment_id INTEGER,
      assignee TEXT,
      trigger_seq INTEGER,
      triggered_at_ms INTEGER NOT NULL,
      acknowledged_at_ms INTEGER,
      mitigated_at_ms INTEGER,
      resolved_at_ms INTEGER,
      postmortem_at_ms INTEGER,
      updated_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX incidents_open_dedup ON incidents (dedup_key)
      WHERE dedup_key IS NOT NULL AND state IN ('Triggered', 'Acknowledged', 'Mitigated');
    CREATE INDEX incidents_state ON incidents (state, id);
    CREATE TABLE incident_postmortems (
      incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
      markdown TEXT NOT NULL,
      updated_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE incident_cursors (
      name TEXT PRIMARY KEY,
      last_seq INTEGER NOT NULL
    ) STRICT;`,
  },
];
