import type { Db, Logger } from '../../core/index.js';

/** How long each signal is kept; every field optional. */
export interface RetentionPolicy {
  /** Age after which spans are deleted, ms. @default 604_800_000 (7 days) */
  readonly spansMs?: number;
  /** Age after which metric points are deleted, ms. @default 604_800_000 (7 days) */
  readonly metricsMs?: number;
  /** Age after which log records are deleted, ms. @default 604_800_000 (7 days) */
  readonly logsMs?: number;
}

/** The default retention of every signal: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Rows deleted by one {@link deleteExpired}. */
export interface RetentionResult {
  /** Spans deleted. */
  readonly spans: number;
  /** Metric points deleted. */
  readonly points: number;
  /** Log records deleted. */
  readonly logs: number;
}

/**
 * Deletes rows older than the policy allows at `nowMs`, in chunks of `chunkRows`
 * rows per transaction so ingest is never blocked for long.
 */
export function deleteExpired(db: Db, policy: RetentionPolicy, nowMs: number, chunkRows = 20_000): RetentionResult {
  const chunked = (sql: string, beforeMs: number): number => {
    const stmt = db.prepare(sql);
    let total = 0;
    for (;;) {
      const n = stmt.run(beforeMs, chunkRows).changes;
      total += n;
      if (n < chunkRows) return total;
    }
  };
  const spans = chunked(
    'DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE start_ms < ? LIMIT ?)',
    nowMs - (policy.spansMs ?? DEFAULT_RETENTION_MS),
  );
  const points = chunked(
    'DELETE FROM metric_points WHERE rowid IN (SELECT rowid FROM metric_points WHERE time_ms < ? LIMIT ?)',
    nowMs - (policy.metricsMs ?? DEFAULT_RETENTION_MS),
  );
  const logsBeforeMs = nowMs - (policy.logsMs ?? DEFAULT_RETENTION_MS);
  const logs = chunked('DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE time_ms < ? LIMIT ?)', logsBeforeMs);
  db.prepare('DELETE FROM log_streams WHERE last_event_ms < ?').run(logsBeforeMs);
  return { spans, points, logs };
}

/** A running background loop. */
export interface BackgroundLoop {
  /** Stops the loop; a tick in progress finishes. */
  stop(): void;
}

/**
 * Runs `tick` every `intervalMs`. A throwing tick is logged and the loop goes on:
 * housekeeping never takes the process down.
 */
export function startBackgroundLoop(tick: () => void, intervalMs: number, logger: Logger): BackgroundLoop {
  const timer = setInterval(() => {
    try {
      tick();
    } catch (err) {
      logger.error('telemetry housekeeping failed', { err });
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
