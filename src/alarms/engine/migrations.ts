import type { Migration } from '../../core/index.js';

/**
 * Tables of the alarms context: each alarm's current state (with its mute window), its history, and
 * the notifications that could not be delivered (dead letters).
 */
export const alarmMigrations: readonly Migration[] = [
  {
    id: 'alarms-001-state',
    sql: `CREATE TABLE alarm_state (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('OK', 'ALARM', 'INSUFFICIENT_DATA')),
      reason TEXT NOT NULL,
      state_updated_at_ms INTEGER NOT NULL,
      last_evaluated_at_ms INTEGER,
      muted_until_ms INTEGER,
      error TEXT
    ) STRICT;
    CREATE TABLE alarm_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      alarm TEXT NOT NULL,
      time_ms INTEGER NOT NULL,
      type TEXT NOT NULL,
      old_state TEXT,
      new_state TEXT,
      summary TEXT NOT NULL,
      data TEXT NOT NULL
    ) STRICT;
    CREATE INDEX alarm_history_alarm ON alarm_history (alarm, id);`,
  },
  {
    id: 'alarms-002-dead-letters',
    sql: `CREATE TABLE notification_dead_letters (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time_ms INTEGER NOT NULL,
      topic TEXT NOT NULL,
      subscription TEXT NOT NULL,
      event_type TEXT NOT NULL,
      event_seq INTEGER,
      attempts INTEGER NOT NULL,
      last_error TEXT NOT NULL,
      message TEXT NOT NULL
    ) STRICT;`,
  },
];
