import { z } from 'zod';
import { flagValueSchema } from './flag.js';
import { count, dispatch, durationSchema, isRecord, percent, strict, uniqueStrings } from './primitives.js';

/** Spans an experiment counts: every span of that name (of one service, if given). */
export const spanSelectorSchema = strict({
  /** The span's name, e.g. `checkout.completed`. */
  span: z.string().min(1),
  /** Only spans of this service (a name in `services`). @default every service */
  service: z.string().optional(),
});

/** Log records an experiment counts: those whose `event.name` attribute (else whose message) is `log`. */
export const logSelectorSchema = strict({
  /** The event's name, e.g. `checkout.completed`: the record's `event.name` attribute, or its message. */
  log: z.string().min(1),
  /** Only records of this service (a name in `services`). @default every service */
  service: z.string().optional(),
});

/** An event an experiment counts: spans (`{ span }`) or log records (`{ log }`), attributed through their trace. */
export const eventSelectorSchema = dispatch<typeof spanSelectorSchema | typeof logSelectorSchema>((input) => {
  if (input === undefined) return 'is required, e.g. { span: "checkout.completed" } or { log: "checkout.completed" }';
  if (!isRecord(input)) return `expected an event such as { span: "checkout.completed" } or { log: "checkout.completed" }, got ${JSON.stringify(input)}`;
  return 'log' in input ? logSelectorSchema : spanSelectorSchema;
});

/** A conversion: the share of exposures (e.g. `cart.viewed`) followed by a conversion (e.g. `checkout.completed`). */
export const conversionMetricSchema = strict({
  kind: z.literal('conversion'),
  /** The event that counts an exposure (the denominator). */
  exposure: eventSelectorSchema,
  /** The event that counts a conversion (the numerator). */
  conversion: eventSelectorSchema,
});

/** A continuous metric compared by its mean (Welch's t-test), e.g. order value or a span's duration. */
export const meanMetricSchema = strict({
  kind: z.literal('mean'),
  /** The events measured. */
  of: eventSelectorSchema,
  /** A numeric attribute of the event, e.g. `order.value`. @default the span's duration in ms (required for log records) */
  attribute: z.string().min(1).optional(),
  /** Whether a larger mean is the better outcome (false for latency). @default true */
  higherIsBetter: z.boolean().optional(),
});

const PRIMARY_EXAMPLE = '{ kind: "conversion", exposure: { span: "cart.viewed" }, conversion: { span: "checkout.completed" } }';

/** The metric an experiment decides on: `conversion` (two-proportion z-test) or `mean` (Welch's t-test). */
export const experimentMetricSchema = dispatch<typeof conversionMetricSchema | typeof meanMetricSchema>((input) => {
  if (input === undefined) return `an experiment needs a primary metric, e.g. ${PRIMARY_EXAMPLE}`;
  if (!isRecord(input)) return `expected a metric such as ${PRIMARY_EXAMPLE}, got ${JSON.stringify(input)}`;
  if (input.kind === 'conversion') return conversionMetricSchema;
  if (input.kind === 'mean') return meanMetricSchema;
  return `expected kind "conversion" or "mean", got ${JSON.stringify(input.kind)}`;
});

const guardrailScope = {
  /** Only spans of this name. @default every span that carries the variant */
  span: z.string().min(1).optional(),
  /** Only spans of this service (a name in `services`). @default every service */
  service: z.string().optional(),
};

/** Stops the experiment when a variant's share of failed spans (status Error) exceeds `maxPercent`. */
export const errorRateGuardrailSchema = strict({
  kind: z.literal('errorRate'),
  ...guardrailScope,
  /** The largest acceptable error rate of any variant, in percent. */
  maxPercent: percent(),
});

/** Stops the experiment when a variant's latency percentile exceeds `max`. */
export const latencyGuardrailSchema = strict({
  kind: z.literal('latency'),
  ...guardrailScope,
  /** The percentile compared, from 1 to 100. @default 99 */
  percentile: z.number().min(1).max(100).optional(),
  /** The largest acceptable latency at that percentile, e.g. `"800ms"`. */
  max: durationSchema,
});

/** A guardrail: watched on every variant; a breach stops the experiment. */
export const guardrailSchema = dispatch<typeof errorRateGuardrailSchema | typeof latencyGuardrailSchema>((input) => {
  if (!isRecord(input)) return `expected a guardrail such as { kind: "errorRate", maxPercent: 5 } or { kind: "latency", max: "800ms" }, got ${JSON.stringify(input)}`;
  if (input.kind === 'errorRate') return errorRateGuardrailSchema;
  if (input.kind === 'latency') return latencyGuardrailSchema;
  return `expected kind "errorRate" or "latency", got ${JSON.stringify(input.kind)}`;
});

/**
 * An A/B experiment on a flag: its variants compared on a primary metric attributed to each
 * variant from telemetry, with guardrails that stop it. The flag's own rules decide who sees
 * which variant.
 */
export const experimentSchema = strict({
  /** What the experiment tests. */
  description: z.string().optional(),
  /** The flag whose variants are compared (a key in `flags`). */
  flag: z.string().min(1),
  /** The control: a value the flag serves, or a variant name for a flag with `variants`. Served to everyone when a guardrail stops the experiment. */
  control: flagValueSchema,
  /** The variants compared, control included. @default every value the flag can serve */
  variants: z.array(flagValueSchema).min(2, { error: 'an experiment compares at least 2 variants' }).optional(),
  /** The metric that decides. */
  primary: experimentMetricSchema,
  /** Guardrails by name; a breach stops the experiment. @default {} */
  guardrails: z.record(z.string(), guardrailSchema).optional(),
  /** Exposures each variant needs before any verdict (the verdict is `Inconclusive` until then). @default 100 */
  minSamplePerVariant: count(1).optional(),
  /** Significance level alpha: a difference is significant when p < alpha; intervals are at 1 − alpha. @default 0.05 */
  significance: z.number().gt(0).max(0.5).optional(),
  /** Environments the experiment runs in (names in `environments`). @default every environment */
  environments: uniqueStrings(z.string(), 'environment').optional(),
});

/** An experiment as written in an app definition. */
export type ExperimentDefinition = z.input<typeof experimentSchema>;
