import type { LogRecordIn, MetricOrigin, MetricPoint, Span } from '../model/index.js';
import type { LogRow } from '../store/log-row.js';
import type { SpanRow } from '../store/span-row.js';

/** Where receivers put what they decoded. */
export interface IngestSink {
  /** Accepts spans. */
  spans(spans: readonly Span[]): void;
  /** Accepts metric points, stored with the origin ingest established for their sender. */
  points(points: readonly MetricPoint[], origin: MetricOrigin): void;
  /** Accepts OTLP log records. */
  logs(records: readonly LogRecordIn[]): void;
  /** Accepts spans a decoder already turned into rows. */
  spanRows(rows: readonly SpanRow[]): void;
  /** Accepts log records a decoder already turned into rows. */
  logRows(rows: readonly LogRow[]): void;
}
