import type { Db, Logger } from '../../core/index.js';
import { ROLLUP_PERIOD_MS } from './write-metric-rollups.js';

/** How long each signal is kept; every field optional. */
export interface RetentionPolicy {
  /** Age after which spans are deleted, ms. @default 604_800_000 (7 days) */
  readonly spansMs?: number;
  /** Age after which metric points are deleted, ms. @default 604_800_000 (7 days) */
  readonly metricsMs?: number;
  /** Age after which log records are deleted, ms. @default 604_800_000 (7 days) */
  readonly logsMs?: number;
  /** Log groups with their own age limit, ms, over `logsMs` (longer or shorter). @default {} */
  readonly logGroupsMs?: Readonly<Record<string, number>>;
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
  /** Pages given back to the file system (a store created with incremental auto-vacuum). */
  readonly pagesFreed: number;
}

/**
 * Deletes rows older than the policy allows at `nowMs` (metric points and their rollups by whole
 * minutes), in chunks of `chunkRows`
 * rows per transaction so ingest is never blocked for long: each log group with its own limit by
 * that limit, every other group by `logsMs`. Then gives the freed pages back to the file system,
 * where the store was created for it (incremental auto-vacuum).
 */
export function deleteExpired(db: Db, policy: RetentionPolicy, nowMs: number, chunkRows = 20_000): RetentionResult {
  const chunked = (sql: string, ...args: number[]): number => {
    const stmt = db.prepare(sql);
    let total = 0;
    for (;;) {
      const n = stmt.run(...args, chunkRows).changes;
      total += n;
      if (n < chunkRows) return total;
    }
  };
  const spans = chunked(
    'DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE start_ms < ? LIMIT ?)',
    nowMs - (policy.spansMs ?? DEFAULT_RETENTION_MS),
  );
  // Whole minutes only, so a minute's rollup and its points always go together (up to 59 s late).
  const metricsBeforeMs = Math.floor((nowMs - (policy.metricsMs ?? DEFAULT_RETENTION_MS)) / ROLLUP_PERIOD_MS) * ROLLUP_PERIOD_MS;
  const points = chunked('DELETE FROM metric_points WHERE rowid IN (SELECT rowid FROM metric_points WHERE time_ms < ? LIMIT ?)', metricsBeforeMs);
  const rollups = chunked(
    'DELETE FROM metric_rollups WHERE (series_id, minute_ms, origin) IN (SELECT series_id, minute_ms, origin FROM metric_rollups WHERE minute_ms < ? LIMIT ?)',
    metricsBeforeMs,
  );
  const logsBeforeMs = nowMs - (policy.logsMs ?? DEFAULT_RETENTION_MS);
  // Groups with their own limit, by id (a group not stored yet has nothing to delete).
  const own = new Map<number, number>();
  const groupId = db.prepare<[string], { id: number }>('SELECT id FROM log_groups WHERE name = ?');
  for (const [name, ms] of Object.entries(policy.logGroupsMs ?? {})) {
    const row = groupId.get(name);
    if (row !== undefined) own.set(row.id, ms);
  }
  let logs = 0;
  for (const [id, ms] of own) {
    logs += chunked('DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE group_id = ? AND time_ms < ? LIMIT ?)', id, nowMs - ms);
    db.prepare('DELETE FROM log_streams WHERE group_id = ? AND last_event_ms < ?').run(id, nowMs - ms);
  }
  const others = own.size === 0 ? '' : ` AND group_id NOT IN (${[...own.keys()].join(', ')})`;
  logs += chunked(`DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE time_ms < ?${others} LIMIT ?)`, logsBeforeMs);
  db.prepare(`DELETE FROM log_streams WHERE last_event_ms < ?${others}`).run(logsBeforeMs);
  return { spans, points, logs, pagesFreed: spans + points + rollups + logs > 0 ? reclaimPages(db) : 0 };
}

/** Gives free pages back to the file system where the database allows it (incremental auto-vacuum); the pages freed. */
export function reclaimPages(db: Db): number {
  if (Number(db.pragma('auto_vacuum', { simple: true })) !== 2) return 0;
  const free = Number(db.pragma('freelist_count', { simple: true }));
  if (free > 0) db.pragma('incremental_vacuum');
  return free - Number(db.pragma('freelist_count', { simple: true }));
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
