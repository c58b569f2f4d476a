import type { LogRecordIn, MetricPoint, Span } from '../model/index.js';

/** Where receivers put what they decoded. */
export interface IngestSink {
  /** Accepts spans. */
  spans(spans: readonly Span[]): void;
  /** Accepts metric points. */
  points(points: readonly MetricPoint[]): void;
  /** Accepts OTLP log records. */
  logs(records: readonly LogRecordIn[]): void;
}
