import { z } from 'zod';
import { tryParseDuration } from '../../shared/index.js';
import { MAX_QUERY_TIMEOUT_MS, MAX_RECORDS_SCANNED_LIMIT } from '../logs-insights/index.js';

/** A duration text (`30s`, `5m`, `1h`) as ms. */
const duration = z.string().transform((s, ctx) => {
  const ms = tryParseDuration(s);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "30s" or "5m", got ${JSON.stringify(s)}` });
    return z.NEVER;
  }
  return ms;
});

const epochMs = z.coerce.number().finite().nonnegative();
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The window of a read: `since` (default 1h) before now, or `start`/`end` in ms. */
const windowFields = { since: duration.optional(), start: epochMs.optional(), end: epochMs.optional() };

/** `GET /api/v1/metrics/query` (plus `dim.<key>=<value>` parameters). */
export const metricQueryQuerySchema = z.looseObject({
  name: z.string().min(1),
  stat: z.string().default('Average'),
  period: duration.default(60_000),
  /** `true` to graph anonymous points too; see `MetricQuery.includeAnonymous`. */
  includeAnonymous: z.stringbool().optional(),
  ...windowFields,
});

const dimensions = z.record(z.string(), z.string());

/** `POST /api/v1/metrics/query`. */
export const metricDataBodySchema = z.strictObject({
  queries: z.array(z.strictObject({ id: z.string(), name: z.string().min(1), dimensions: dimensions.optional(), stat: z.string() })).min(1).max(50),
  expressions: z.array(z.strictObject({ id: z.string(), expression: z.string().min(1).max(2000) })).max(50).optional(),
  periodMs: z.number().int().default(60_000),
  startMs: epochMs.optional(),
  endMs: epochMs.optional(),
  since: duration.optional(),
  /** `true` to read anonymous points too; see `MetricQuery.includeAnonymous`. */
  includeAnonymous: z.boolean().optional(),
});

/** `POST /api/v1/logs/query`. */
export const logsQueryBodySchema = z.strictObject({
  query: z.string().min(1).max(10_000),
  startMs: epochMs.optional(),
  endMs: epochMs.optional(),
  since: duration.optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  /** The query's time budget, ms. @default 10_000 (at most 60_000) */
  timeoutMs: z.number().int().min(1).max(MAX_QUERY_TIMEOUT_MS).optional(),
  /** The most records the query may read. @default 1_000_000 (at most 10_000_000) */
  maxRecordsScanned: z.number().int().min(1).max(MAX_RECORDS_SCANNED_LIMIT).optional(),
});

/** Query of `GET /api/v1/logs/groups`. */
export const logGroupsQuerySchema = z.strictObject({
  /** `true`: count each group's records and bytes (reads every record). */
  sizes: z.enum(['true', 'false']).optional(),
});

/** `GET /api/v1/logs/tail`. */
export const logsTailQuerySchema = z.strictObject({
  group: z.string().min(1).optional(),
  service: z.string().min(1).optional(),
  stream: z.string().min(1).optional(),
  after: z.coerce.number().int().nonnegative().optional(),
  limit: limit(10_000, 100),
});

/** `GET /api/v1/traces` (plus `attr.<key>=<value>` parameters). */
export const traceSearchQuerySchema = z.looseObject({
  service: z.string().min(1).optional(),
  operation: z.string().min(1).optional(),
  status: z.enum(['Unset', 'Ok', 'Error']).optional(),
  minDurationMs: z.coerce.number().nonnegative().optional(),
  limit: limit(1000, 20),
  ...windowFields,
});

/** `GET /api/v1/traces/slow-queries`. */
export const slowQueriesQuerySchema = z.strictObject({ limit: limit(1000, 20), ...windowFields });

/** `GET /api/v1/service-map`. */
export const serviceMapQuerySchema = z.strictObject({ environment: z.string().min(1).optional(), ...windowFields });

/** `GET /api/v1/rum/pages`. */
export const rumPagesQuerySchema = z.strictObject(windowFields);

/** `GET /api/v1/traces/:id`. */
export const traceIdParamsSchema = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lowercase hex characters') });

/** Default window of reads without `since`/`start`: the last hour. */
export const DEFAULT_WINDOW_MS = 3_600_000;

/** The `[startMs, endMs]` of a read at `nowMs`. */
export function windowOf(w: { since?: number | undefined; start?: number | undefined; end?: number | undefined }, nowMs: number): { startMs: number; endMs: number } {
  const endMs = w.end ?? nowMs;
  return { startMs: w.start ?? endMs - (w.since ?? DEFAULT_WINDOW_MS), endMs };
}

/** The `<prefix><key>=<value>` parameters of a query string as a record (`dim.service=a` → `{ service: 'a' }`). */
export function prefixedParams(query: Readonly<Record<string, unknown>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (k.startsWith(prefix) && typeof v === 'string') out[k.slice(prefix.length)] = v;
  return out;
}
