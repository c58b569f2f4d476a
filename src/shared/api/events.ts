import { z } from 'zod';
import type { ErrorCode } from '../errors/index.js';

/** Query string of `GET /api/v1/events` and `GET /api/v1/events/stream`. */
export const eventsQuerySchema = z.strictObject({
  /** Type or dotted prefix, e.g. `deployment` or `deployment.traffic.shifted`. */
  type: z.string().min(1).max(200).optional(),
  /** Exact subject. */
  subject: z.string().min(1).max(512).optional(),
  /** Only events after this sequence number. */
  after: z.coerce.number().int().min(0).optional(),
  /** From this time (ISO 8601 or ms since the epoch). */
  since: z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true })]).optional(),
  /** Until this time (ISO 8601 or ms since the epoch). */
  until: z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true })]).optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** Parsed form of {@link eventsQuerySchema}. */
export type EventsQuery = z.output<typeof eventsQuerySchema>;

/** Body of `POST /api/v1/events`: an annotation from outside (a release note, a manual change). */
export const appendEventBodySchema = z.strictObject({
  /** Must start with `custom.`; slipway's own types are written only by slipway. */
  type: z
    .string()
    .regex(/^custom(\.[a-z][a-z0-9_]*)+$/, 'must be a dotted lowercase type starting with "custom.", e.g. "custom.release.noted"')
    .transform((t) => t as `custom.${string}`),
  subject: z.string().min(1).max(512),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** One event as the API returns it. */
export interface EventDto {
  readonly seq: number;
  /** ISO 8601. */
  readonly time: string;
  readonly timeMs: number;
  readonly type: string;
  readonly subject: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `GET /api/v1/events`: one page of the log. */
export interface EventsPageDto {
  readonly events: readonly EventDto[];
  /** Pass as `after` for the next page; null when this page is the last. */
  readonly nextAfter: number | null;
  /** The newest sequence number in the log. */
  readonly lastSeq: number;
}

/** The body of every API error. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly { readonly path: string; readonly message: string }[];
  };
}

/** Builds the one error body shape every API error has (issues only when there are some). */
export function errorBody(code: ErrorCode, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}
