import type { FastifyInstance } from 'fastify';
import { parseInput, type MetricDataResultDto, type MetricQueryResultDto, type RumPagesDto, type SlowQueriesDto, type TraceSearchDto } from '../shared/index.js';
import { toLogGroupsDto, toLogTailDto, toLogsQueryResultDto, toMetricNameDto, toServiceMapDto, toSlowQueryDto, toTraceDto, toTraceSummaryDto } from './api-dto.js';
import type { Telemetry } from './telemetry.js';
import {
  logGroupsQuerySchema,
  logsQueryBodySchema,
  logsTailQuerySchema,
  metricDataBodySchema,
  metricQueryQuerySchema,
  prefixedParams,
  rumPagesQuerySchema,
  serviceMapQuerySchema,
  slowQueriesQuerySchema,
  traceIdParamsSchema,
  traceSearchQuerySchema,
  windowOf,
} from './query/api-schemas.js';

/** The queries the routes need. */
export type TelemetryQueries = Pick<
  Telemetry,
  'clock' | 'queryMetric' | 'queryMetricData' | 'listMetricNames' | 'queryLogs' | 'listLogGroups' | 'tailLogs' | 'searchTraces' | 'getTrace' | 'slowQueries' | 'serviceMap' | 'pagePerformance'
>;

type Query = Readonly<Record<string, unknown>>;

/**
 * Registers the telemetry API: metrics (`/api/v1/metrics/query`, `/api/v1/metrics/names`),
 * logs (`/api/v1/logs/query`, `/api/v1/logs/groups`, `/api/v1/logs/tail`), traces
 * (`/api/v1/traces`, `/api/v1/traces/:id`, `/api/v1/traces/slow-queries`) and
 * `/api/v1/service-map`, and the page performance of real-user monitoring (`/api/v1/rum/pages`).
 * Windows default to the last hour.
 */
export function telemetryRoutes(app: FastifyInstance, t: TelemetryQueries): void {
  const now = () => t.clock.now();

  app.get('/api/v1/metrics/query', { config: { auth: 'session' } }, async (request): Promise<MetricQueryResultDto> => {
    const q = parseInput(metricQueryQuerySchema, request.query, 'query');
    const { startMs, endMs } = windowOf(q, now());
    const dimensions = prefixedParams(request.query as Query, 'dim.');
    const includeAnonymous = q.includeAnonymous;
    const series = t.queryMetric({ name: q.name, dimensions, stat: q.stat, periodMs: q.period, startMs, endMs, includeAnonymous });
    return { name: q.name, stat: q.stat, periodMs: q.period, startMs, endMs, dimensions, timestamps: series.timestamps, values: series.values };
  });

  app.post('/api/v1/metrics/query', { config: { auth: 'session' } }, async (request): Promise<MetricDataResultDto> => {
    const b = parseInput(metricDataBodySchema, request.body, 'body');
    const endMs = b.endMs ?? now();
    const startMs = b.startMs ?? endMs - (b.since ?? 3_600_000);
    const results = t.queryMetricData({ queries: b.queries, expressions: b.expressions ?? [], periodMs: b.periodMs, startMs, endMs, includeAnonymous: b.includeAnonymous });
    return { periodMs: b.periodMs, startMs, endMs, results: results.map((r) => ({ id: r.id, timestamps: r.timestamps, values: r.values })) };
  });

  app.get('/api/v1/metrics/names', { config: { auth: 'session' } }, async () => ({ metrics: t.listMetricNames().map(toMetricNameDto) }));

  app.post('/api/v1/logs/query', { config: { auth: 'session' } }, async (request) => {
    const b = parseInput(logsQueryBodySchema, request.body, 'body');
    const endMs = b.endMs ?? now();
    const startMs = b.startMs ?? endMs - (b.since ?? 3_600_000);
    const result = await t.queryLogs(
      { query: b.query, startMs, endMs },
      {
        ...(b.limit === undefined ? {} : { defaultLimit: b.limit }),
        ...(b.timeoutMs === undefined ? {} : { timeoutMs: b.timeoutMs }),
        ...(b.maxRecordsScanned === undefined ? {} : { maxRecordsScanned: b.maxRecordsScanned }),
      },
    );
    return toLogsQueryResultDto({ startMs, endMs }, result);
  });

  app.get('/api/v1/logs/groups', { config: { auth: 'session' } }, async (request) => {
    const { sizes } = parseInput(logGroupsQuerySchema, request.query, 'query');
    return toLogGroupsDto(t.listLogGroups({ sizes: sizes === 'true' }));
  });

  app.get('/api/v1/logs/tail', { config: { auth: 'session' } }, async (request) => toLogTailDto(t.tailLogs(parseInput(logsTailQuerySchema, request.query, 'query'))));

  app.get('/api/v1/traces', { config: { auth: 'session' } }, async (request): Promise<TraceSearchDto> => {
    const q = parseInput(traceSearchQuerySchema, request.query, 'query');
    const { startMs, endMs } = windowOf(q, now());
    const traces = t.searchTraces({
      ...(q.service !== undefined ? { service: q.service } : {}),
      ...(q.operation !== undefined ? { operation: q.operation } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.minDurationMs !== undefined ? { minDurationMs: q.minDurationMs } : {}),
      attributes: prefixedParams(request.query as Query, 'attr.'),
      startMs,
      // The end of a search window is inclusive of "now".
      endMs: endMs + 1,
      limit: q.limit,
    });
    return { traces: traces.map(toTraceSummaryDto) };
  });

  app.get('/api/v1/traces/slow-queries', { config: { auth: 'session' } }, async (request): Promise<SlowQueriesDto> => {
    const q = parseInput(slowQueriesQuerySchema, request.query, 'query');
    const { startMs, endMs } = windowOf(q, now());
    return { queries: t.slowQueries(startMs, endMs + 1, q.limit).map(toSlowQueryDto) };
  });

  app.get('/api/v1/traces/:id', { config: { auth: 'session' } }, async (request) => {
    const { id } = parseInput(traceIdParamsSchema, request.params, 'params');
    return toTraceDto(t.getTrace(id));
  });

  app.get('/api/v1/service-map', { config: { auth: 'session' } }, async (request) => {
    const q = parseInput(serviceMapQuerySchema, request.query, 'query');
    const { startMs, endMs } = windowOf(q, now());
    return toServiceMapDto({ startMs, endMs }, t.serviceMap(startMs, endMs + 1, q.environment));
  });

  app.get('/api/v1/rum/pages', { config: { auth: 'session' } }, async (request): Promise<RumPagesDto> => {
    const q = parseInput(rumPagesQuerySchema, request.query, 'query');
    const { startMs, endMs } = windowOf(q, now());
    return { startMs, endMs, pages: t.pagePerformance(startMs, endMs + 1) };
  });
}
