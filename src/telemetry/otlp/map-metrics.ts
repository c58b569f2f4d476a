import type { Attributes, ExponentialBuckets, MetricKind, MetricPoint, MetricTemporality, ScopeInfo, TimeWindow } from '../model/index.js';
import { isInWindow } from '../model/index.js';
import { keyValues, type DepthCuts } from './any-value.js';
import { enumValue } from './map-traces.js';
import { Rejections, type RejectReason } from './rejections.js';
import { readResource, readScope } from './resource-scope.js';
import { count, double, int, nanos, nanosToMs, obj, objs, str, bool, type Obj } from './read.js';

/** What mapping an `ExportMetricsServiceRequest` produced. */
export interface MappedMetrics {
  /** Accepted data points. */
  readonly points: MetricPoint[];
  /** Rejected data points, by reason. */
  readonly rejections: Rejections;
  /** Data points in the request, accepted or not. */
  readonly received: number;
}

const NO_RECORDED_VALUE = 1;
const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0, AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};
const DATA_KINDS: readonly [string, MetricKind][] = [
  ['gauge', 'Gauge'], ['sum', 'Sum'], ['histogram', 'Histogram'], ['exponentialHistogram', 'ExponentialHistogram'], ['summary', 'Summary'],
];

type Identity = Pick<MetricPoint, 'name' | 'unit' | 'description' | 'kind' | 'temporality' | 'monotonic' | 'service' | 'resource'> & { scope?: ScopeInfo };
type PointValue = Pick<MetricPoint, 'value' | 'histogram' | 'exponentialHistogram' | 'summary' | 'noRecordedValue'>;

/** Maps a decoded `ExportMetricsServiceRequest` to data points, rejecting invalid ones. */
export function mapMetrics(request: unknown, window: TimeWindow): MappedMetrics {
  const points: MetricPoint[] = [];
  const rejections = new Rejections();
  let received = 0;
  for (const rm of objs(obj(request).resourceMetrics)) {
    const { resource, service } = readResource(rm.resource, rejections);
    for (const sm of objs(rm.scopeMetrics)) {
      const scope = readScope(sm.scope);
      for (const metric of objs(sm.metrics)) {
        const found = DATA_KINDS.find(([field]) => metric[field] !== undefined && metric[field] !== null);
        if (!found) continue;
        const [field, kind] = found;
        const data = obj(metric[field]);
        const identity: Identity = {
          name: str(metric.name),
          unit: str(metric.unit),
          description: str(metric.description),
          kind,
          ...temporalityOf(kind, data),
          service,
          resource,
          ...(scope ? { scope } : {}),
        };
        for (const dp of objs(data.dataPoints)) {
          received += 1;
          const result = mapPoint(kind, dp, window, rejections);
          if (typeof result === 'string') rejections.add(result);
          else points.push({ ...identity, ...result });
        }
      }
    }
  }
  return { points, rejections, received };
}

function temporalityOf(kind: MetricKind, data: Obj): { temporality?: MetricTemporality; monotonic?: boolean } {
  if (kind === 'Gauge') return {};
  if (kind === 'Summary') return { temporality: 'Cumulative' };
  const t = enumValue(data.aggregationTemporality, TEMPORALITY_NAMES);
  const temporality: MetricTemporality | undefined = t === 1 ? 'Delta' : t === 2 ? 'Cumulative' : undefined;
  return { ...(temporality ? { temporality } : {}), ...(kind === 'Sum' ? { monotonic: bool(data.isMonotonic) } : {}) };
}

type PointBody = { attributes: Attributes; startTimeMs?: number; timeMs: number } & PointValue;

function mapPoint(kind: MetricKind, dp: Obj, window: TimeWindow, cuts: DepthCuts): PointBody | RejectReason {
  const timeNs = nanos(dp.timeUnixNano);
  const startNs = nanos(dp.startTimeUnixNano);
  // TimeUnixNano is required: "Data points with the 0 value for TimeUnixNano SHOULD be rejected".
  if (timeNs === undefined || timeNs === 0n || startNs === undefined) return 'TimestampOutOfRange';
  const timeMs = nanosToMs(timeNs);
  if (!isInWindow(timeMs, window)) return 'TimestampOutOfRange';
  const noRecordedValue = (int(dp.flags) & NO_RECORDED_VALUE) !== 0;
  const value = noRecordedValue ? {} : valueOf(kind, dp);
  if (value === undefined) return 'InvalidValue';
  return {
    attributes: keyValues(dp.attributes, 0, cuts),
    ...(startNs !== 0n && kind !== 'Gauge' ? { startTimeMs: nanosToMs(startNs) } : {}),
    timeMs,
    ...value,
    ...(noRecordedValue ? { noRecordedValue } : {}),
  };
}

function optional(name: 'sum' | 'min' | 'max', dp: Obj): { sum?: number; min?: number; max?: number } {
  const v = double(dp[name]);
  return v === undefined ? {} : { [name]: v };
}

function valueOf(kind: MetricKind, dp: Obj): PointValue | undefined {
  switch (kind) {
    case 'Gauge':
    case 'Sum': {
      // A point is invalid when neither value field is present.
      const value = dp.asDouble !== undefined ? double(dp.asDouble) : dp.asInt !== undefined ? numberOfInt(dp.asInt) : undefined;
      return value === undefined ? undefined : { value };
    }
    case 'Histogram': {
      const bucketCounts = Array.isArray(dp.bucketCounts) ? dp.bucketCounts.map(count) : [];
      const explicitBounds = Array.isArray(dp.explicitBounds) ? dp.explicitBounds.map((b) => double(b) ?? NaN) : [];
      if (explicitBounds.some(Number.isNaN)) return undefined;
      const bucketsMatchBounds = bucketCounts.length === explicitBounds.length + 1 || (bucketCounts.length === 0 && explicitBounds.length === 0);
      if (!bucketsMatchBounds) return undefined;
      return { histogram: { count: count(dp.count), ...optional('sum', dp), ...optional('min', dp), ...optional('max', dp), bucketCounts, explicitBounds } };
    }
    case 'ExponentialHistogram':
      return {
        exponentialHistogram: {
          count: count(dp.count),
          ...optional('sum', dp),
          ...optional('min', dp),
          ...optional('max', dp),
          scale: int(dp.scale),
          zeroCount: count(dp.zeroCount),
          zeroThreshold: double(dp.zeroThreshold) ?? 0,
          positive: buckets(dp.positive),
          negative: buckets(dp.negative),
        },
      };
    case 'Summary':
      return {
        summary: {
          count: count(dp.count),
          sum: double(dp.sum) ?? 0,
          quantiles: objs(dp.quantileValues).map((q) => ({ quantile: double(q.quantile) ?? 0, value: double(q.value) ?? 0 })),
        },
      };
  }
}

function numberOfInt(value: unknown): number | undefined {
  return typeof value === 'number' ? value : double(value);
}

function buckets(value: unknown): ExponentialBuckets {
  const b = obj(value);
  return { offset: int(b.offset), bucketCounts: Array.isArray(b.bucketCounts) ? b.bucketCounts.map(count) : [] };
}
