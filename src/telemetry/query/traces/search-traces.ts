import type { Db } from '../../../core/index.js';
import type { TraceSummaryDto } from '../../../shared/index.js';
import type { SpanStatusCode } from '../../model/index.js';
import { STATUS_CODES } from '../../store/span-columns.js';

/** A trace search (Jaeger's semantics: span criteria hold on one span of the trace). */
export interface TraceSearch {
  /** A span of this service... */
  readonly service?: string;
  /** ...with this operation name... */
  readonly operation?: string;
  /** ...with this status... */
  readonly status?: SpanStatusCode;
  /** ...lasting at least this long (ms)... */
  readonly minDurationMs?: number;
  /** ...with these attributes (compared as text). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Window start (span start), ms, inclusive. */
  readonly startMs: number;
  /** Window end, ms, exclusive. */
  readonly endMs: number;
  /** Most traces returned, newest first. @default 20 */
  readonly limit?: number;
}

/** A trace in search results, as the API answers it (one definition). */
export type TraceSummary = TraceSummaryDto;

function jsonPath(key: string): string {
  return `$."${key.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Finds traces with a span matching every criterion, newest first, and summarises them. */
export function searchTraces(db: Db, q: TraceSearch): TraceSummary[] {
  const where = ['start_ms >= ?', 'start_ms < ?'];
  const params: (string | number)[] = [q.startMs, q.endMs];
  if (q.service !== undefined) {
    where.push('service = ?');
    params.push(q.service);
  }
  if (q.operation !== undefined) {
    where.push('name = ?');
    params.push(q.operation);
  }
  if (q.status !== undefined) {
    where.push('status = ?');
    params.push(STATUS_CODES[q.status]);
  }
  if (q.minDurationMs !== undefined) {
    where.push('duration_ms >= ?');
    params.push(q.minDurationMs);
  }
  for (const [k, v] of Object.entries(q.attributes ?? {})) {
    where.push('CAST(json_extract(attributes, ?) AS TEXT) = ?');
    params.push(jsonPath(k), v);
  }
  const ids = db
    .prepare<unknown[], { trace_id: string }>(`SELECT trace_id, max(start_ms) AS t FROM spans WHERE ${where.join(' AND ')} GROUP BY trace_id ORDER BY t DESC LIMIT ?`)
    .all(...params, q.limit ?? 20)
    .map((r) => r.trace_id);
  return summarizeTraces(db, ids);
}

interface Row {
  trace_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  start_ms: number;
  end_ms: number;
  status: number;
}

/** Summaries of traces, in the order of `traceIds`. */
export function summarizeTraces(db: Db, traceIds: readonly string[]): TraceSummary[] {
  if (traceIds.length === 0) return [];
  const stmt = db.prepare<[string], Row>(
    'SELECT trace_id, parent_span_id, service, name, start_ms, start_ms + duration_ms AS end_ms, status FROM spans WHERE trace_id = ? ORDER BY start_ms, id',
  );
  return traceIds.map((id) => {
    const rows = stmt.all(id);
    const root = rows.find((r) => r.parent_span_id === null) ?? rows[0];
    const startMs = Math.min(...rows.map((r) => r.start_ms));
    return {
      traceId: id,
      rootService: root?.service ?? '',
      rootOperation: root?.name ?? '',
      startMs,
      durationMs: Math.max(...rows.map((r) => r.end_ms)) - startMs,
      spanCount: rows.length,
      error: rows.some((r) => r.status === STATUS_CODES.Error),
    };
  });
}
