import { z } from 'zod';
import { DEFAULT_SHADOW_MAX_BODY_BYTES, parseShadowIgnore, SAFE_METHODS, SHADOW_METHODS } from '../../shared/index.js';

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - only');
const port = z.number().int().min(0).max(65535);
const headerName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name')
  .transform((s) => s.toLowerCase());

/** One upstream endpoint of a target group (a running task). */
export const targetSchema = z.object({
  /** Unique within the table, e.g. the task id. */
  id,
  /** Host to connect to. @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535),
  /** Whether the target takes traffic; the supervisor's health checks decide. @default true */
  healthy: z.boolean().default(true),
});

/** A set of targets running one revision of a service, with its share of traffic. */
export const targetGroupSchema = z.object({
  id,
  /** The revision the targets run (a metric dimension). */
  revision: z.string().min(1).max(128),
  /** Share of the service's traffic, an integer 0–100; the groups of a service sum to 100. */
  weightPercent: z.number().int().min(0).max(100),
  targets: z.array(targetSchema).max(1024),
});

/** Keeps a user on one target group (A/B tests, canaries without flapping). */
export const stickinessSchema = z
  .object({
    /** Name of the cookie the router sets to the chosen target group id. */
    cookie: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/).optional(),
    /** Name of a request header (e.g. a user id) whose value is hashed onto the weights. */
    header: headerName.optional(),
    /** Lifetime of the cookie. @default 86400000 (one day) */
    ttlMs: z.number().int().min(1000).default(86_400_000),
  })
  .refine((s) => (s.cookie === undefined) !== (s.header === undefined), 'exactly one of cookie or header');

/** Forces a target group when a request header has a value, e.g. `x-slipway-canary: 1`. */
export const headerRuleSchema = z.object({
  header: headerName,
  value: z.string(),
  targetGroupId: id,
});

/** Turns a mirror into a shadow comparison: each copy's answer is compared with the primary's. */
export const mirrorCompareSchema = z.object({
  /** Names the comparison's report (`GET /admin/shadow/:id`); a new id starts new totals. */
  id,
  /** Noisy fields: `headers.<name>` or JSON paths into the body (`$.timestamp`, `$..requestId`). @default [] */
  ignore: z
    .array(z.string())
    .max(64)
    .default([])
    .check((ctx) => {
      ctx.value.forEach((entry, i) => {
        const r = parseShadowIgnore(entry);
        if (r.kind === 'invalid') ctx.issues.push({ code: 'custom', message: r.message, input: entry, path: [i] });
      });
    }),
  /** Compare response headers too (never `date`, `etag`, lengths and other per-answer headers). @default true */
  headers: z.boolean().default(true),
  /** `auto`: as JSON when both answers say JSON, else bytes. @default 'auto' */
  body: z.enum(['auto', 'json', 'bytes', 'ignore']).default('auto'),
});

/** Copies a share of requests to a target group; the copies' answers are discarded, or compared with `compare`. */
export const mirrorSchema = z.object({
  targetGroupId: id,
  /** Share of requests copied, 0–100. */
  percent: z.number().min(0).max(100),
  /** Methods copied; list a non-idempotent one (POST, PATCH, …) only when the target can take duplicates. @default ['GET', 'HEAD', 'OPTIONS'] */
  methods: z.array(z.enum(SHADOW_METHODS)).min(1).default([...SAFE_METHODS]),
  /** Requests with larger bodies, and answers larger than this, are not compared (counted as skipped). @default 1048576 (1 MiB) */
  maxBodyBytes: z.number().int().min(0).max(16 * 1024 * 1024).default(DEFAULT_SHADOW_MAX_BODY_BYTES),
  /** Copies in flight at once; more are skipped, so a slow target never piles up work. @default 32 */
  maxConcurrent: z.number().int().min(1).max(1024).default(32),
  /** Time a copy may take (headers and body). @default the service's timeout */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  compare: mirrorCompareSchema.optional(),
});

/** The routing of one service in one environment. */
export const serviceRouteSchema = z.object({
  environment: id,
  service: id,
  targetGroups: z.array(targetGroupSchema).min(1).max(16),
  stickiness: stickinessSchema.optional(),
  headerRules: z.array(headerRuleSchema).max(32).default([]),
  mirror: mirrorSchema.optional(),
  /** Time to wait for a target's response headers before answering 504. @default the router's `upstreamTimeoutMs` */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});

/** A path-prefix rule of an ingress listener; the longest matching prefix wins. */
export const ingressRuleSchema = z.object({
  pathPrefix: z.string().startsWith('/'),
  service: id,
});

/** A port the router listens on. */
export const listenerSchema = z.object({
  id,
  /** Port on 127.0.0.1; 0 picks a free one (reported by the table status). */
  port,
  /** `ingress` routes by path prefix, `service` to one service, `test` to one target group (blue/green test traffic). */
  kind: z.enum(['ingress', 'service', 'test']),
  environment: id,
  /** The service of a `service` or `test` listener. */
  service: id.optional(),
  /** Rules of an `ingress` listener. */
  rules: z.array(ingressRuleSchema).max(256).default([]),
  /** The target group a `test` listener sends to. */
  targetGroupId: id.optional(),
});

/** The whole routing table; `version` only ever grows. */
export const routingTableSchema = z.object({
  version: z.number().int().min(0),
  listeners: z.array(listenerSchema).max(256),
  services: z.array(serviceRouteSchema).max(1024),
});

/** One upstream endpoint, as written by the control plane. */
export type TargetInput = z.input<typeof targetSchema>;
/** A target group, as written by the control plane. */
export type TargetGroupInput = z.input<typeof targetGroupSchema>;
/** A routing table, as written by the control plane (defaults may be left out). */
export type RoutingTableInput = z.input<typeof routingTableSchema>;
/** A validated routing table with defaults filled in. */
export type RoutingTable = z.output<typeof routingTableSchema>;
/** A validated service route. */
export type ServiceRoute = z.output<typeof serviceRouteSchema>;
/** A validated listener. */
export type Listener = z.output<typeof listenerSchema>;
/** Kind of a listener. */
export type ListenerKind = Listener['kind'];
