import type { LogRecordIn, MetricOrigin, MetricPoint, Span } from '../model/index.js';

/** Where receivers put what they decoded. */
export interface IngestSink {
  /** Accepts spans. */
  spans(spans: readonly Span[]): void;
  /** Accepts metric points, stored with the origin ingest established for their sender. */
  points(points: readonly MetricPoint[], origin: MetricOrigin): void;
  /** Accepts OTLP log records. */
  logs(records: readonly LogRecordIn[]): void;
}
