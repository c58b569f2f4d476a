import type { Attributes, ScopeInfo } from './attributes.js';

/** The OTLP metric data type a point came from. */
export type MetricKind = 'Gauge' | 'Sum' | 'Histogram' | 'ExponentialHistogram' | 'Summary';

/** How a point's value relates to time (OTLP `AggregationTemporality`). */
export type MetricTemporality = 'Delta' | 'Cumulative';

/** The value of an explicit-bucket histogram point. */
export interface HistogramValue {
  /** Number of recorded values. */
  readonly count: number;
  /** Sum of recorded values; absent when the sender did not set it. */
  readonly sum?: number;
  /** Minimum recorded value; absent when not set. */
  readonly min?: number;
  /** Maximum recorded value; absent when not set. */
  readonly max?: number;
  /** Count per bucket; one more entry than `explicitBounds` (or both empty). */
  readonly bucketCounts: readonly number[];
  /** Upper bounds (inclusive) of all buckets but the last, strictly increasing. */
  readonly explicitBounds: readonly number[];
}

/** One range (positive or negative) of an exponential histogram. */
export interface ExponentialBuckets {
  /** Bucket index of `bucketCounts[0]`. */
  readonly offset: number;
  /** Counts of consecutive buckets starting at `offset`. */
  readonly bucketCounts: readonly number[];
}

/**
 * The value of an exponential histogram point, stored as received (not converted
 * to explicit buckets): bucket `i` of a range covers `(base^i, base^(i+1)]` with
 * `base = 2^(2^-scale)`.
 */
export interface ExponentialHistogramValue {
  /** Number of recorded values. */
  readonly count: number;
  /** Sum of recorded values; absent when not set. */
  readonly sum?: number;
  /** Minimum recorded value; absent when not set. */
  readonly min?: number;
  /** Maximum recorded value; absent when not set. */
  readonly max?: number;
  /** Resolution of the buckets. */
  readonly scale: number;
  /** Count of values in the zero bucket. */
  readonly zeroCount: number;
  /** Width of the zero bucket `[-zeroThreshold, zeroThreshold]`. */
  readonly zeroThreshold: number;
  /** Buckets of positive values. */
  readonly positive: ExponentialBuckets;
  /** Buckets of negative values (by absolute value). */
  readonly negative: ExponentialBuckets;
}

/** The value of a summary point: cumulative count and sum plus quantiles. */
export interface SummaryValue {
  /** Number of recorded values. */
  readonly count: number;
  /** Sum of recorded values. */
  readonly sum: number;
  /** Values at quantiles in [0, 1], in increasing quantile order. */
  readonly quantiles: readonly { readonly quantile: number; readonly value: number }[];
}

/**
 * Who wrote a metric point, as ingest established it (never what a sender claims):
 * `Internal` (slipway itself in process: the router's ALB metrics, its own counters),
 * `Authenticated` (a sender with a valid app or service ingest key) or `Anonymous`
 * (no key, accepted only under `telemetry.allowUnauthenticated`). Alarms, deployment
 * analysis and incident impact read trusted points only: `Internal` and `Authenticated`.
 */
export type MetricOrigin = 'Internal' | 'Authenticated' | 'Anonymous';

/** Whether points of this origin may feed alarms and other decisions. */
export function isTrustedOrigin(origin: MetricOrigin): boolean {
  return origin !== 'Anonymous';
}

/** One metric data point with its metric's identity, as slipway stores it. */
export interface MetricPoint {
  /** Metric name, e.g. `http.server.request.duration`. */
  readonly name: string;
  /** UCUM unit, e.g. `ms`, `By`, `{request}`; empty when none. */
  readonly unit: string;
  /** Description of the metric; empty when none. */
  readonly description: string;
  /** Data type of the metric. */
  readonly kind: MetricKind;
  /** Temporality of sums and histograms; `Cumulative` for summaries; absent for gauges or when unspecified. */
  readonly temporality?: MetricTemporality;
  /** Whether a `Sum` is monotonic; absent for other kinds. */
  readonly monotonic?: boolean;
  /** The emitting service (resource `service.name`). */
  readonly service: string;
  /** Resource attributes. */
  readonly resource: Attributes;
  /** Data point attributes: the dimensions of the time series. */
  readonly attributes: Attributes;
  /** Instrumentation scope; absent when unknown. */
  readonly scope?: ScopeInfo;
  /** Start of the aggregation interval, ms since the Unix epoch; absent when not set. */
  readonly startTimeMs?: number;
  /** End of the aggregation interval (the point's time), ms since the Unix epoch. */
  readonly timeMs: number;
  /** The value of a `Gauge` or `Sum` point; absent when `noRecordedValue`. */
  readonly value?: number;
  /** The value of a `Histogram` point. */
  readonly histogram?: HistogramValue;
  /** The value of an `ExponentialHistogram` point. */
  readonly exponentialHistogram?: ExponentialHistogramValue;
  /** The value of a `Summary` point. */
  readonly summary?: SummaryValue;
  /** True when the sender flagged the point as having no recorded value (a staleness marker). */
  readonly noRecordedValue?: boolean;
  /** Who wrote it; set by ingest, never decoded from a request. @default 'Anonymous' (untrusted) */
  readonly origin?: MetricOrigin;
}
