import { z } from 'zod';
import { quoteList } from '../names.js';
import { parseShadowIgnore, SHADOW_METHODS } from '../shadow-ignore.js';
import { count, dispatch, durationSchema, isRecord, percent, strict } from './primitives.js';

/** The CodeDeploy deployment configurations slipway understands, by their CodeDeploy names. */
export const CODEDEPLOY_CONFIG_NAMES = [
  'CodeDeployDefault.AllAtOnce',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.OneAtATime',
  'CodeDeployDefault.ECSAllAtOnce',
  'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'CodeDeployDefault.ECSCanary10Percent15Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
] as const;

/** A CodeDeploy deployment configuration name, e.g. `CodeDeployDefault.ECSCanary10Percent5Minutes`. */
export type CodeDeployConfigName = (typeof CODEDEPLOY_CONFIG_NAMES)[number];

/** Automated analysis of the new revision between steps; a failing analysis rolls back. */
export const analysisSchema = strict({
  /** Alarms (names in `alarms`) that fail the analysis while in ALARM. @default the environment's `rollbackOn` */
  alarms: z.array(z.string()).optional(),
  /** Highest share of 5xx responses of the new revision, in percent. */
  maxErrorRatePercent: percent().optional(),
  /** Highest p99 response time of the new revision, e.g. `"500ms"`. */
  maxLatencyP99: durationSchema.optional(),
  /** Fewer requests than this in a step make the analysis Inconclusive (the rollout pauses). @default 10 */
  minRequestCount: count(0).optional(),
});

/** Largest `maxBodyBytes` of a shadow (16 MiB). */
export const MAX_SHADOW_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Shadow traffic (Diffy style): before the new revision gets any real traffic, the router copies
 * a share of requests to it, compares each answer with the old revision's, and the step passes or
 * fails on the share of differing answers and the latency ratio. Clients only ever get the old
 * revision's answer.
 */
export const shadowSchema = strict({
  /** Share of requests copied to the new revision, 1–100. @default 100 */
  percent: percent(1).optional(),
  /** How long requests are mirrored and compared, e.g. `"5m"`. */
  duration: durationSchema,
  /** Highest share of compared answers that may differ, in percent. @default 0 */
  maxDiffPercent: percent().optional(),
  /** Highest ratio of the new revision's p99 latency to the old one's, e.g. `1.5`. @default unchecked */
  maxLatencyRatio: z.number().positive().optional(),
  /** Fewer compared answers make the step Inconclusive: the deployment pauses. @default 10 */
  minRequests: count(0).optional(),
  /** Noisy fields left out of the comparison: JSON paths into the body (`$.timestamp`, `$..requestId`, `$.items[*].updatedAt`) or `headers.<name>`. @default [] */
  ignore: z
    .array(z.string())
    .max(64)
    .check((ctx) => {
      ctx.value.forEach((entry, i) => {
        const r = parseShadowIgnore(entry);
        if (r.kind === 'invalid') ctx.issues.push({ code: 'custom', message: r.message, input: entry, path: [i] });
      });
    })
    .optional(),
  /** Methods mirrored. List POST, PUT, PATCH or DELETE only when the new revision may receive duplicates of them (it sees each such request a second time). @default ['GET', 'HEAD', 'OPTIONS'] */
  methods: z.array(z.enum(SHADOW_METHODS)).min(1).optional(),
  /** Requests with larger bodies, and pairs with a larger answer, are not compared (counted as skipped). @default 1048576 (1 MiB) */
  maxBodyBytes: count(0).max(MAX_SHADOW_BODY_BYTES).optional(),
  /** Copies in flight at once; more are skipped. @default 32 */
  maxConcurrent: count(1).max(1024).optional(),
  /** Time a copy may take before it counts as a differing answer (`error: timeout`). @default "10s" */
  timeout: durationSchema.optional(),
  /** What is compared besides the status. */
  compare: strict({
    /** Compare response headers (never `date`, `age`, `etag`, `last-modified`, `expires`, lengths, connection headers). @default true */
    headers: z.boolean().optional(),
    /** `auto`: as JSON when both answers say `application/json` (or `+json`), else byte for byte; `ignore`: bodies are not compared. @default "auto" */
    body: z.enum(['auto', 'json', 'bytes', 'ignore']).optional(),
  }).optional(),
});

/** Shifts traffic to the new revision in steps of increasing percentage. */
export const canarySchema = strict({
  type: z.literal('canary'),
  /** Traffic percentages, strictly increasing and ending at 100, e.g. `[5, 25, 50, 100]`. */
  steps: z.array(z.number()).min(1).check((ctx) => {
    const steps = ctx.value;
    const ok = steps.every((s, i) => s >= 1 && s <= 100 && (i === 0 || s > steps[i - 1]!)) && steps[steps.length - 1] === 100;
    if (!ok) ctx.issues.push({ code: 'custom', message: `steps must increase and end at 100, got [${steps.join(', ')}]`, input: steps });
  }),
  /** Time spent at each step before the next one, e.g. `"30s"`. */
  interval: durationSchema,
  /** Checks between steps. */
  analysis: analysisSchema.optional(),
  /** Mirror and compare requests before the first traffic step. @default no shadow step */
  shadow: shadowSchema.optional(),
});

/** Shifts the same percentage of traffic at a fixed interval until all traffic is shifted. */
export const linearSchema = strict({
  type: z.literal('linear'),
  /** Percentage shifted at each step (1–100). */
  percent: percent(1),
  /** Time between steps, e.g. `"1m"`. */
  every: durationSchema,
  /** Checks between steps. */
  analysis: analysisSchema.optional(),
  /** Mirror and compare requests before the first traffic step. @default no shadow step */
  shadow: shadowSchema.optional(),
});

/** Replaces tasks batch by batch; traffic follows the healthy tasks. */
export const rollingSchema = strict({
  type: z.literal('rolling'),
  /** Tasks replaced per batch. Give this or `batchPercent`. @default 1 */
  batchSize: count(1).optional(),
  /** Share of tasks replaced per batch, in percent. Give this or `batchSize`. */
  batchPercent: percent(1).optional(),
  /** Share of the desired tasks that must stay healthy during the rollout. @default 100 */
  minHealthyPercent: percent().optional(),
}).refine((r) => r.batchSize === undefined || r.batchPercent === undefined, {
  message: 'give batchSize or batchPercent, not both',
  path: ['batchPercent'],
});

/** Starts the new revision beside the old one, then moves all traffic at once. */
export const blueGreenSchema = strict({
  type: z.literal('blueGreen'),
  /** Route the environment's `testPort` to the new revision before shifting. @default true when the environment has a `testPort` */
  testTraffic: z.boolean().optional(),
  /** How long to watch after shifting before the deployment succeeds. @default no bake time */
  bakeTime: durationSchema.optional(),
  /** How long the old (blue) revision keeps running after the shift, for a quick rollback. @default "5m" */
  terminateBlueAfter: durationSchema.optional(),
  /** Mirror and compare requests before the switch. @default no shadow step */
  shadow: shadowSchema.optional(),
});

const STRATEGY_TYPES = ['canary', 'linear', 'rolling', 'blueGreen'] as const;
const codeDeployNameSchema = z.enum(CODEDEPLOY_CONFIG_NAMES);

/** A deployment strategy: a CodeDeploy configuration name, or one built with `canary()`, `linear()`, `rolling()` or `blueGreen()`. */
export const strategySchema = dispatch<typeof codeDeployNameSchema | typeof canarySchema | typeof linearSchema | typeof rollingSchema | typeof blueGreenSchema>((input) => {
  if (typeof input === 'string') {
    return (CODEDEPLOY_CONFIG_NAMES as readonly string[]).includes(input)
      ? codeDeployNameSchema
      : `expected a strategy such as "CodeDeployDefault.AllAtOnce" or canary({ ... }), got "${input}"; CodeDeploy names are ${quoteList(CODEDEPLOY_CONFIG_NAMES)}`;
  }
  if (!isRecord(input)) return `expected a strategy such as "CodeDeployDefault.AllAtOnce" or canary({ ... }), got ${JSON.stringify(input)}`;
  switch (input.type) {
    case 'canary':
      return canarySchema;
    case 'linear':
      return linearSchema;
    case 'rolling':
      // Rolling replaces tasks in place: no idle new revision exists to copy requests to before it takes traffic.
      return 'shadow' in input
        ? 'shadow needs the new revision running beside the old one before it takes traffic: use canary, linear or blueGreen (rolling replaces tasks in place)'
        : rollingSchema;
    case 'blueGreen':
      return blueGreenSchema;
    default:
      return `expected a strategy type of ${quoteList(STRATEGY_TYPES)}, got ${JSON.stringify(input.type) ?? 'none'}`;
  }
});

/** Options of a shadow step (see {@link shadowSchema}). */
export type ShadowOptions = z.input<typeof shadowSchema>;
/** Options of a canary strategy (see {@link canarySchema}). */
export type CanaryOptions = Omit<z.input<typeof canarySchema>, 'type'>;
/** Options of a linear strategy (see {@link linearSchema}). */
export type LinearOptions = Omit<z.input<typeof linearSchema>, 'type'>;
/** Options of a rolling strategy (see {@link rollingSchema}). */
export type RollingOptions = Omit<z.input<typeof rollingSchema>, 'type'>;
/** Options of a blue/green strategy (see {@link blueGreenSchema}). */
export type BlueGreenOptions = Omit<z.input<typeof blueGreenSchema>, 'type'>;
/** A strategy as written in an app definition. */
export type StrategyDefinition = z.input<typeof strategySchema>;
