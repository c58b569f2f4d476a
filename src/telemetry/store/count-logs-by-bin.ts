import type { Db } from '../../core/index.js';
import type { BinCount, QueryPlan } from '../logs-insights/index.js';
import { logFilterSql } from './read-logs.js';

/**
 * Counts the records a plan's prefilters match in `[fromMs, toMs)` (within the plan's range) per
 * bin of `periodMs` since the epoch, with their messages' UTF-8 bytes, in SQL: SQLite aggregates
 * and only one row per bin reaches JavaScript. Exact when the plan's `countByBin` is set (its
 * filters are the prefilters).
 */
export function countLogsByBin(db: Db, plan: QueryPlan, periodMs: number, fromMs: number, toMs: number): BinCount[] {
  const filter = logFilterSql(db, { ...plan, startMs: Math.max(plan.startMs, fromMs) });
  if (filter === undefined) return [];
  const sql = `SELECT floor(time_ms / ?) * ? AS bin, count(*) AS records, sum(length(CAST(message AS BLOB))) AS bytes FROM logs WHERE ${filter.where} AND time_ms < ? GROUP BY bin`;
  return db.prepare<unknown[], { bin: number; records: number; bytes: number }>(sql).all(periodMs, periodMs, ...filter.params, toMs).map((r) => ({ binStartMs: r.bin, records: r.records, bytes: r.bytes }));
}
