import type { LogEntry } from './log-entry.js';

/**
 * A log entry as the writer binds it: time ms, group name, stream, severity, message, trace
 * id, span id, fields as JSON (null when there are none). Plain strings and numbers, so a
 * decode worker hands rows to the writer for the price of copying them.
 */
export type LogRow = readonly [
  timeMs: number,
  group: string,
  stream: string,
  severity: string,
  message: string,
  traceId: string | null,
  spanId: string | null,
  fields: string | null,
];

/** A log entry to its row. */
export function logRowOf(e: LogEntry): LogRow {
  const fields = e.fields !== undefined && Object.keys(e.fields).length > 0 ? JSON.stringify(e.fields) : null;
  return [e.timeMs, e.group, e.stream, e.severity, e.message, e.traceId ?? null, e.spanId ?? null, fields];
}
