import type { Migration } from '../../core/index.js';

/**
 * The schema of `<data>/telemetry.db`, a database of its own so that ingest never
 * contends with the event log's writer and can run with `synchronous=NORMAL`.
 *
 * - `spans`: one row per span; the columns queries filter and group on are extracted
 *   (`http_status`, `db_*`, `peer`), the rest stays JSON. `parent_service` and
 *   `remote_child` are resolved at ingest (in both arrival orders) so the service map
 *   needs no self-join at query time. `map_role` (1 entry span, 2 outgoing call with a
 *   peer, NULL otherwise) keys a partial covering index: the service map reads only it.
 * - `metric_series` + `metric_points`: a series is a metric name plus its dimensions
 *   (canonical JSON); points are keyed by `(series_id, time_ms)`;
 *   histogram buckets and bounds are float64 arrays (BLOB), read without parsing.
 * - `log_groups` + `log_streams` + `logs`: records point at their group by id; the
 *   indexes serve time ranges, a group, or a group and stream.
 * - `origin` of `metric_points` (0 anonymous, 1 authenticated, 2 internal; see
 *   `ORIGIN_CODES`): who wrote each point. Decisions read `origin >= 1` only, from the covering
 *   index `(series_id, time_ms, value, origin)`, which replaces `(series_id, time_ms, value)`.
 *   `origin` of `metric_series`: the highest origin that wrote to the series; it owns the
 *   series' kind, temporality and unit. Rows from before the column are anonymous.
 * - `metric_rollups`: per series, origin and minute, the count, sum, minimum, maximum and a
 *   percentile sketch (`SampleCount`/`Sum`/`Average`/`Minimum`/`Maximum` exact, percentiles
 *   within 1 %) of the points that have a value, written with the points. Old points are not
 *   backfilled: `telemetry_settings.rollups_from_ms` is the first minute that rollups cover
 *   whole (0 for a store created with them); earlier minutes are read from the points.
 */
export const telemetryMigrations: readonly Migration[] = [
  {
    id: 'telemetry-001-spans',
    sql: `
      CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        service TEXT NOT NULL,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,
        start_ms REAL NOT NULL,
        duration_ms REAL NOT NULL,
        status INTEGER NOT NULL,
        status_message TEXT,
        http_status INTEGER,
        db_system TEXT,
        db_name TEXT,
        db_statement TEXT,
        peer TEXT,
        parent_service TEXT,
        remote_child INTEGER NOT NULL DEFAULT 0,
        map_role INTEGER,
        has_exception INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        resource TEXT NOT NULL,
        events TEXT NOT NULL,
        extra TEXT
      ) STRICT;
      CREATE INDEX spans_trace ON spans (trace_id, span_id);
      CREATE INDEX spans_start ON spans (start_ms);
      CREATE INDEX spans_db ON spans (start_ms) WHERE db_statement IS NOT NULL;
      CREATE INDEX spans_map ON spans (map_role, start_ms, service, parent_service, duration_ms, status, http_status, remote_child, peer, db_system)
        WHERE map_role IS NOT NULL;
    `,
  },
  {
    id: 'telemetry-002-metrics',
    sql: `
      CREATE TABLE metric_series (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        service TEXT NOT NULL,
        kind TEXT NOT NULL,
        temporality TEXT,
        monotonic INTEGER NOT NULL,
        unit TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        UNIQUE (name, dimensions)
      ) STRICT;
      CREATE TABLE metric_points (
        series_id INTEGER NOT NULL,
        time_ms REAL NOT NULL,
        start_ms REAL,
        value REAL,
        count REAL,
        sum REAL,
        min REAL,
        max REAL,
        buckets BLOB,
        bounds BLOB
      ) STRICT;
      CREATE INDEX metric_points_series_time ON metric_points (series_id, time_ms, value);
      CREATE INDEX metric_points_time ON metric_points (time_ms);
    `,
  },
  {
    id: 'telemetry-003-logs',
    sql: `
      CREATE TABLE log_groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        last_event_ms REAL NOT NULL
      ) STRICT;
      CREATE TABLE log_streams (
        group_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        last_event_ms REAL NOT NULL,
        PRIMARY KEY (group_id, name)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE logs (
        id INTEGER PRIMARY KEY,
        time_ms REAL NOT NULL,
        ingest_ms REAL NOT NULL,
        group_id INTEGER NOT NULL,
        stream TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        trace_id TEXT,
        span_id TEXT,
        fields TEXT
      ) STRICT;
      CREATE INDEX logs_time ON logs (time_ms);
      CREATE INDEX logs_group_time ON logs (group_id, time_ms);
      CREATE INDEX logs_group_stream_time ON logs (group_id, stream, time_ms);
    `,
  },
  {
    id: 'telemetry-004-metric-origin',
    sql: `
      ALTER TABLE metric_series ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE metric_points ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX metric_points_series_time_origin ON metric_points (series_id, time_ms, value, origin);
      DROP INDEX metric_points_series_time;
    `,
  },
  {
    // A trace's log lines, for `@traceId` filters and the dashboard's trace → logs link.
    id: 'telemetry-005-logs-trace',
    sql: `CREATE INDEX logs_trace ON logs (trace_id, time_ms) WHERE trace_id IS NOT NULL;`,
  },
  {
    id: 'telemetry-006-metric-rollups',
    sql: `
      CREATE TABLE metric_rollups (
        series_id INTEGER NOT NULL,
        minute_ms INTEGER NOT NULL,
        origin INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sketch BLOB NOT NULL,
        PRIMARY KEY (series_id, minute_ms, origin)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX metric_rollups_minute ON metric_rollups (minute_ms);
      CREATE TABLE telemetry_settings (key TEXT PRIMARY KEY, value REAL NOT NULL) STRICT;
      -- A store with points: rollups cover the minutes after the current one (and the newest point's).
      INSERT INTO telemetry_settings (key, value)
        SELECT 'rollups_from_ms', COALESCE((CAST(max(max(time_ms), unixepoch('subsec') * 1000) / 60000 AS INTEGER) + 1) * 60000, 0)
        FROM metric_points;
    `,
  },
];
