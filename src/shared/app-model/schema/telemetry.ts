import { z } from 'zod';
import { dnsNameSchema, durationSchema, strict } from './primitives.js';

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

/**
 * The origin of a page that may send browser telemetry: scheme, host and port only, as a
 * browser sends it in the `Origin` header (`http://127.0.0.1:8080`, `https://shop.example.com`).
 */
export const corsOriginSchema = z.string().check((ctx) => {
  const problem = corsOriginProblem(ctx.value);
  if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/** Why `value` is not a CORS origin, or undefined when it is one. */
export function corsOriginProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an origin such as "http://127.0.0.1:8080" (scheme, host and port), got ${JSON.stringify(value)}: it is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http(s) origin such as "http://127.0.0.1:8080", got ${JSON.stringify(value)}`;
  if (url.origin !== value.replace(/\/$/, '')) return `expected an origin (scheme, host and port, no path, query or user), got ${JSON.stringify(value)}: write ${JSON.stringify(url.origin)}`;
  return undefined;
}

/**
 * Real-user monitoring: pages of the app send traces from the browser (page loads, web vitals,
 * fetches) to the OTLP receiver, with a public ingest key that writes only their service's spans
 * and logs.
 */
export const rumSchema = strict({
  /**
   * Origins of the pages allowed to send browser telemetry (the CORS allow-list of the OTLP
   * receiver), e.g. `['http://127.0.0.1:8080']`. A request from any other origin is refused.
   */
  origins: z.array(corsOriginSchema).min(1, { error: 'list at least one origin of the pages that send browser telemetry, e.g. ["http://127.0.0.1:8080"]' }),
  /** `service.name` of the browser's spans (DNS-safe, not one of the app's services). @default "<app name>-web" */
  serviceName: dnsNameSchema.optional(),
  /**
   * Services that serve the pages: their tasks get `SLIPWAY_RUM_ENDPOINT`, `SLIPWAY_RUM_INGEST_KEY`
   * and `SLIPWAY_RUM_SERVICE_NAME` to hand to the page. @default the services with an ingress
   */
  servedBy: z.array(z.string()).optional(),
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
  /** Real-user monitoring from the app's pages. @default none: browsers' requests are refused (no CORS) */
  rum: rumSchema.optional(),
});
