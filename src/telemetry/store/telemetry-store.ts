import { openDatabase, type Clock, type Db } from '../../core/index.js';
import type { MetricPoint, Span } from '../model/index.js';
import type { LogEntry } from './log-entry.js';
import { logRowOf, type LogRow } from './log-row.js';
import { telemetryMigrations } from './migrations.js';
import { createLogWriter } from './write-logs.js';
import { createMetricPointWriter } from './write-metric-points.js';
import { spanRowsOf, type SpanRow } from './span-row.js';
import { createSpanWriter } from './write-spans.js';

/** What one write transaction stores. */
export interface IngestBatch {
  /** Spans. */
  readonly spans: readonly Span[];
  /** Metric points. */
  readonly points: readonly MetricPoint[];
  /** Log entries. */
  readonly logs: readonly LogEntry[];
  /** Spans already turned into rows (by a decode worker), stored after `spans`. */
  readonly spanRows?: readonly SpanRow[];
  /** Log entries already turned into rows, stored after `logs`. */
  readonly logRows?: readonly LogRow[];
}

/** The telemetry database with its write path. */
export interface TelemetryStore {
  /** The connection; queries read through it. */
  readonly db: Db;
  /** Stores a batch in one transaction. */
  write(batch: IngestBatch): void;
  /** Closes the database. */
  close(): void;
}

/**
 * Opens (creating and migrating) the telemetry database. It runs in WAL mode with
 * `synchronous=NORMAL`: a crash of the process loses nothing committed, a power
 * loss may lose the last transactions — telemetry trades that for ingest speed.
 * @param file the database file, e.g. `<data>/telemetry.db`, or `:memory:`
 */
export function openTelemetryStore(file: string, clock: Clock): TelemetryStore {
  // Retention deletes old rows all the time: a new store gives their pages back (incremental vacuum).
  const db = openDatabase(file, { migrations: telemetryMigrations, synchronous: 'NORMAL', autoVacuum: 'INCREMENTAL' });
  // Bigger page cache and memory temp store: ingest batches and GROUP BYs stay off disk.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return wrapDatabase(db, clock);
}

/** The write path over an already migrated connection (tests). */
export function wrapDatabase(db: Db, clock: Clock): TelemetryStore {
  const writeSpans = createSpanWriter(db);
  const writePoints = createMetricPointWriter(db);
  const writeLogs = createLogWriter(db, clock);
  const tx = db.transaction((batch: IngestBatch) => {
    const spanRows = rowsOf(batch.spans, batch.spanRows, spanRowsOf);
    if (spanRows.length > 0) writeSpans(spanRows);
    if (batch.points.length > 0) writePoints(batch.points);
    const logRows = rowsOf(batch.logs, batch.logRows, (logs) => logs.map(logRowOf));
    if (logRows.length > 0) writeLogs(logRows);
  });
  return {
    db,
    write: (batch) => {
      tx.immediate(batch);
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

// One list for the writer: links between spans resolve in memory only within one call.
function rowsOf<T, R>(items: readonly T[], rows: readonly R[] | undefined, toRows: (items: readonly T[]) => R[]): readonly R[] {
  if (items.length === 0) return rows ?? [];
  const converted = toRows(items);
  return rows === undefined || rows.length === 0 ? converted : converted.concat(rows);
}
