import { z } from 'zod';
import { durationSchema, strict } from './primitives.js';

/** A log group's name, as CloudWatch allows them: `/slipway/production/router`. */
export const logGroupNameSchema = z.string().regex(/^[A-Za-z0-9_./#-]{1,512}$/, {
  error: (i) => `${JSON.stringify(i.input)} is not a log group name: 1 to 512 letters, digits, _ - / . #`,
});

/**
 * How long stored telemetry is kept, as CloudWatch's retention settings: each signal's age limit,
 * and any log group's own (e.g. a chatty router log kept a day, an audit log a year).
 */
export const retentionSchema = strict({
  /** Age after which log records are deleted, e.g. `"14d"`. @default "7d" */
  logs: durationSchema.optional(),
  /** Age after which spans are deleted. @default "7d" */
  spans: durationSchema.optional(),
  /** Age after which metric points are deleted. @default "7d" */
  metrics: durationSchema.optional(),
  /**
   * Log groups with their own retention, over `logs`: `{ '/slipway/production/router': '1d' }`.
   * Groups are named `/slipway/<environment>/<service>`, `/slipway/<environment>/router`,
   * `/slipway/pipeline/<app>`. @default {}
   */
  logGroups: z.record(logGroupNameSchema, durationSchema).optional(),
});

/** How the local telemetry receivers (OTLP/HTTP, X-Ray UDP) treat senders. */
export const telemetrySchema = strict({
  /**
   * Accept OTLP and X-Ray from senders without an ingest key. Their data is stored, but their
   * metric datapoints are marked anonymous: alarms, deployment analysis and incident impact never
   * read them. A key that is sent and does not verify is refused either way. Local only: AWS
   * telemetry is authenticated by IAM.
   * @default false
   */
  allowUnauthenticated: z.boolean().optional(),
  /** How long spans, metric points and log records are kept. @default 7 days each */
  retention: retentionSchema.optional(),
});
