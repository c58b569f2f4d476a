import type { Db } from '../../../core/index.js';
import type { Span } from '../../model/index.js';
import { spanFromRow } from '../../store/read-spans.js';

/** A window of spans to read whole (for analyses that attribute spans themselves, e.g. experiments). */
export interface SpanScan {
  /** Window start (span start), ms, inclusive. */
  readonly startMs: number;
  /** Window end, ms, exclusive. */
  readonly endMs: number;
  /** Most spans returned, oldest first. */
  readonly limit: number;
}

/** The spans of a window, oldest first, and whether the limit cut it short. */
export function findSpans(db: Db, q: SpanScan): { spans: Span[]; truncated: boolean } {
  const rows = db
    .prepare<[number, number, number], Parameters<typeof spanFromRow>[0]>(
      `SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ms, duration_ms, status, status_message,
              attributes, resource, events, extra FROM spans WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms, id LIMIT ?`,
    )
    .all(q.startMs, q.endMs, q.limit + 1);
  const truncated = rows.length > q.limit;
  return { spans: (truncated ? rows.slice(0, q.limit) : rows).map(spanFromRow), truncated };
}
