/** A scalar a log record may carry in its structured attributes. */
export type FieldValue = string | number | boolean | null;

/**
 * One log event as the Logs Insights evaluator sees it. Storage adapts its rows to this shape.
 *
 * Query-visible fields: `@timestamp`, `@message`, `@logStream`, `@log`, `@ingestionTime`
 * (when set), `@traceId` and `@spanId` (the trace context the record was written in, when known),
 * every key of `fields`, and, when `message` is a JSON object, its members
 * flattened with dots (`http.status`, `items.0.id`).
 */
export interface LogRecord {
  /** When the event happened, in milliseconds since the Unix epoch (`@timestamp`). */
  readonly timestampMs: number;
  /** The raw log line (`@message`). */
  readonly message: string;
  /** The log stream the event belongs to (`@logStream`), e.g. a task id. */
  readonly logStream: string;
  /** The log group the event belongs to (`@log`), e.g. `shop/production/gateway`. */
  readonly log: string;
  /** When slipway received the event, in ms since the epoch (`@ingestionTime`). */
  readonly ingestionTimeMs?: number;
  /** The trace the event was written in (`@traceId`), 32 hex digits, when known. */
  readonly traceId?: string;
  /** The span the event was written in (`@spanId`), when known. */
  readonly spanId?: string;
  /** Structured attributes; they win over members discovered in a JSON message. */
  readonly fields?: Readonly<Record<string, FieldValue>>;
}

/** A value of a result cell: timestamps are rendered as text unless asked otherwise. */
export type CellValue = string | number | null;

/** Counters of one query execution. */
export interface QueryStatistics {
  /** Records read from the source (within or outside the time range). */
  readonly recordsScanned: number;
  /** Records that passed every `filter` placed before the first `stats`. */
  readonly recordsMatched: number;
  /** UTF-8 bytes of the `@message` of the records scanned. */
  readonly bytesScanned: number;
}

/** What a query returns: ordered columns and rows keyed by column name. */
export interface QueryResult {
  /** Column names in display order. */
  readonly columns: string[];
  /** Rows; each has every column, `null` where the field is absent. */
  readonly rows: Record<string, CellValue>[];
  /** Execution counters. */
  readonly statistics: QueryStatistics;
}
