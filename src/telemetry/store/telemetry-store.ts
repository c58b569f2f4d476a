import { openDatabase, type Clock, type Db } from '../../core/index.js';
import type { MetricPoint, Span } from '../model/index.js';
import type { LogEntry } from './log-entry.js';
import { telemetryMigrations } from './migrations.js';
import { createLogWriter } from './write-logs.js';
import { createMetricPointWriter } from './write-metric-points.js';
import { createSpanWriter } from './write-spans.js';

/** What one write transaction stores. */
export interface IngestBatch {
  /** Spans. */
  readonly spans: readonly Span[];
  /** Metric points. */
  readonly points: readonly MetricPoint[];
  /** Log entries. */
  readonly logs: readonly LogEntry[];
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
    if (batch.spans.length > 0) writeSpans(batch.spans);
    if (batch.points.length > 0) writePoints(batch.points);
    if (batch.logs.length > 0) writeLogs(batch.logs);
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
