import type { Db } from '../../../core/index.js';
import { nearestRank } from '../metrics/statistic.js';

/** One normalized database statement with its timings. */
export interface SlowQuery {
  /** The statement with literals replaced by `?`. */
  readonly statement: string;
  /** `db.system` of the first span seen. */
  readonly dbSystem?: string;
  /** Executions. */
  readonly count: number;
  /** Median duration, ms (nearest rank). */
  readonly p50Ms: number;
  /** 99th percentile duration, ms (nearest rank). */
  readonly p99Ms: number;
  /** Longest duration, ms. */
  readonly maxMs: number;
  /** Sum of durations, ms. */
  readonly totalMs: number;
  /** The trace of the slowest execution. */
  readonly exampleTraceId: string;
}

/**
 * A statement with its literals replaced: quoted strings and numbers become `?`,
 * `IN (?, ?, …)` lists become `IN (?)`, and whitespace collapses.
 * @example normalizeStatement("SELECT * FROM t WHERE id = 42 AND s IN ('a','b')") // "SELECT * FROM t WHERE id = ? AND s IN (?)"
 */
export function normalizeStatement(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$."])-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '?')
    .replace(/\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, 'IN (?)')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Database spans (those with `db.statement`) in a window, grouped by normalized statement, by total time. */
export function slowQueries(db: Db, startMs: number, endMs: number, limit = 20): SlowQuery[] {
  const rows = db
    .prepare(`SELECT db_statement, db_system, duration_ms, trace_id FROM spans WHERE db_statement IS NOT NULL AND start_ms >= ? AND start_ms < ?`)
    .raw(true)
    .all(startMs, endMs) as [string, string | null, number, string][];
  const groups = new Map<string, { system: string | null; durations: number[]; max: number; example: string; total: number }>();
  const normalized = new Map<string, string>();
  for (const [statement, system, duration, traceId] of rows) {
    let key = normalized.get(statement);
    if (key === undefined) normalized.set(statement, (key = normalizeStatement(statement)));
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { system, durations: [], max: -Infinity, example: traceId, total: 0 }));
    g.durations.push(duration);
    g.total += duration;
    if (duration > g.max) {
      g.max = duration;
      g.example = traceId;
    }
  }
  return [...groups]
    .map(([statement, g]): SlowQuery => {
      const sorted = Float64Array.from(g.durations).sort();
      return {
        statement,
        ...(g.system !== null ? { dbSystem: g.system } : {}),
        count: sorted.length,
        p50Ms: nearestRank(sorted, 50) ?? 0,
        p99Ms: nearestRank(sorted, 99) ?? 0,
        maxMs: g.max,
        totalMs: g.total,
        exampleTraceId: g.example,
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs || a.statement.localeCompare(b.statement))
    .slice(0, limit);
}
