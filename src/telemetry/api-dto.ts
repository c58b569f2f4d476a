// The telemetry routes' answers, mapped field by field from the query results (the DTOs live in src/shared/api/telemetry.ts).
import type { CallStatsDto, LogGroupsDto, LogTailDto, LogsQueryResultDto, MetricNameDto, ServiceMapDto, SlowQueryDto, TraceDto, TraceSpanDto, TraceSummaryDto } from '../shared/index.js';
import type { QueryResult } from './logs-insights/index.js';
import type { MetricNameInfo } from './query/metrics/query-metric.js';
import type { CallStats, ServiceMap } from './query/service-map/service-map.js';
import type { TraceSummary } from './query/traces/search-traces.js';
import type { SlowQuery } from './query/traces/slow-queries.js';
import type { TraceView, TraceViewSpan } from './query/traces/trace-view.js';
import type { LogGroupInfo, TailPage } from './store/tail-logs.js';

/** A metric name with its kind, unit and dimension keys. */
export function toMetricNameDto(m: MetricNameInfo): MetricNameDto {
  return { name: m.name, kind: m.kind, unit: m.unit, series: m.series, dimensionKeys: m.dimensionKeys };
}

/** A Logs Insights result over its window. */
export function toLogsQueryResultDto(window: { startMs: number; endMs: number }, r: QueryResult): LogsQueryResultDto {
  return {
    startMs: window.startMs,
    endMs: window.endMs,
    columns: r.columns,
    rows: r.rows,
    statistics: { recordsScanned: r.statistics.recordsScanned, recordsMatched: r.statistics.recordsMatched, bytesScanned: r.statistics.bytesScanned },
  };
}

/** The log groups and their streams. */
export function toLogGroupsDto(groups: readonly LogGroupInfo[]): LogGroupsDto {
  return {
    groups: groups.map((g) => ({
      name: g.name,
      lastEventMs: g.lastEventMs,
      streams: g.streams.map((s) => ({ name: s.name, lastEventMs: s.lastEventMs })),
      retentionMs: g.retentionMs,
      ...(g.stored === undefined ? {} : { stored: { records: g.stored.records, bytes: g.stored.bytes } }),
    })),
  };
}

/** A page of a tail. */
export function toLogTailDto(p: TailPage): LogTailDto {
  return { events: p.events.map((e) => ({ id: e.id, timeMs: e.timeMs, group: e.group, stream: e.stream, severity: e.severity, message: e.message })), nextAfter: p.nextAfter };
}

/** A trace in search results. */
export function toTraceSummaryDto(t: TraceSummary): TraceSummaryDto {
  return { traceId: t.traceId, rootService: t.rootService, rootOperation: t.rootOperation, startMs: t.startMs, durationMs: t.durationMs, spanCount: t.spanCount, error: t.error };
}

function toSpanDto(s: TraceViewSpan): TraceSpanDto {
  return {
    spanId: s.spanId,
    ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId }),
    service: s.service,
    name: s.name,
    kind: s.kind,
    startMs: s.startMs,
    offsetMs: s.offsetMs,
    durationMs: s.durationMs,
    selfTimeMs: s.selfTimeMs,
    depth: s.depth,
    status: s.status,
    ...(s.statusMessage === undefined ? {} : { statusMessage: s.statusMessage }),
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, timeMs: e.timeMs, attributes: e.attributes })),
    critical: s.critical,
  };
}

/** A whole trace as the trace page shows it. */
export function toTraceDto(t: TraceView): TraceDto {
  return {
    traceId: t.traceId,
    rootService: t.rootService,
    rootOperation: t.rootOperation,
    startMs: t.startMs,
    durationMs: t.durationMs,
    spanCount: t.spanCount,
    spans: t.spans.map(toSpanDto),
    services: t.services.map((s) => ({ service: s.service, selfTimeMs: s.selfTimeMs, spanCount: s.spanCount })),
    criticalPath: t.criticalPath,
    errors: t.errors.map((e) => ({
      spanId: e.spanId,
      service: e.service,
      name: e.name,
      timeMs: e.timeMs,
      ...(e.type === undefined ? {} : { type: e.type }),
      ...(e.message === undefined ? {} : { message: e.message }),
    })),
  };
}

/** A normalised database statement with its timings. */
export function toSlowQueryDto(q: SlowQuery): SlowQueryDto {
  return {
    statement: q.statement,
    ...(q.dbSystem === undefined ? {} : { dbSystem: q.dbSystem }),
    count: q.count,
    p50Ms: q.p50Ms,
    p99Ms: q.p99Ms,
    maxMs: q.maxMs,
    totalMs: q.totalMs,
    exampleTraceId: q.exampleTraceId,
  };
}

const stats = (s: CallStats): CallStatsDto => ({ requests: s.requests, errors: s.errors, faults: s.faults, errorRate: s.errorRate, faultRate: s.faultRate, p50Ms: s.p50Ms, p99Ms: s.p99Ms });

/** The service map of a window. */
export function toServiceMapDto(window: { startMs: number; endMs: number }, m: ServiceMap): ServiceMapDto {
  return {
    startMs: window.startMs,
    endMs: window.endMs,
    nodes: m.nodes.map((n) => ({ ...stats(n), id: n.id, type: n.type, ...(n.dbSystem === undefined ? {} : { dbSystem: n.dbSystem }) })),
    edges: m.edges.map((e) => ({ ...stats(e), source: e.source, target: e.target })),
  };
}
