import { z } from 'zod';
import { matchIssues, type FlagMatchValue } from '../flag-conditions.js';
import { percent, strict } from './primitives.js';

/** A flag value: a boolean, a string or a number (or, with `variants`, a variant name). */
export const flagValueSchema = z.union([z.boolean(), z.string(), z.number()], {
  error: (i) => `expected a boolean, a string or a number, got ${JSON.stringify(i.input)}`,
});

/**
 * What a rule (or a segment) requires of the context, per attribute: a value it must equal
 * (`plan: 'pro'`) or a condition of operators that must all hold (`country: { in: ['de', 'fr'] }`,
 * `appVersion: { semverGte: '2.1.0' }`, `age: { gte: 18 }`, `email: { endsWith: '@acme.io' }`,
 * `beta: { exists: true }`); see `FLAG_OPERATORS`.
 */
export const flagMatchSchema = z.record(z.string(), z.custom<FlagMatchValue>(() => true)).check((ctx) => {
  for (const issue of matchIssues(ctx.value)) ctx.issues.push({ code: 'custom', message: issue.message, input: ctx.value, path: [...issue.path] });
});

/** An attribute name of the evaluation context (`accountId`), for stickiness. */
const attributeName = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_.$-]{0,127}$/, { error: (i) => `${JSON.stringify(i.input)} is not an attribute name: a letter, _ or $, then letters, digits, _ . $ or - (at most 128)` });

/** A targeting rule; the first rule that matches a context decides the value. */
export const flagRuleSchema = strict({
  /** Share of matching contexts (bucketed by the `stickiness` attribute) that get the value. @default 100 */
  percentage: percent().optional(),
  /** Context attributes that must all match, e.g. `{ country: "NL", appVersion: { semverGte: "2.1.0" } }`. @default {} */
  match: flagMatchSchema.optional(),
  /** A named segment (in the app model's `segments`) the context must also be in. @default none */
  segment: z.string().min(1).max(128).optional(),
  /**
   * The context attribute a percentage buckets by, e.g. `accountId` so that everyone of an account
   * gets the same value; a context without it is `TARGETING_KEY_MISSING`.
   * @default "targetingKey"
   */
  stickiness: attributeName.optional(),
  /** The value served (a variant name when the flag has variants). */
  value: flagValueSchema,
});

/** What an environment changes of a flag: its default, its rules (replacing all of them), or both. */
export const flagOverrideSchema = strict({
  /** Value when no rule matches, in this environment. @default the flag's `default` */
  default: flagValueSchema.optional(),
  /** Targeting rules in this environment, replacing the flag's. @default the flag's `rules` */
  rules: z.array(flagRuleSchema).optional(),
});

/** A named, reusable set of conditions that rules refer to with `segment: '<name>'`. */
export const segmentSchema = strict({
  /** The conditions, as a rule's `match`. */
  match: flagMatchSchema,
  /** Who the segment is. */
  description: z.string().optional(),
});

/** A feature flag, served through OpenFeature. */
export const flagSchema = strict({
  /** Value when no rule matches (a variant name when the flag has variants). */
  default: flagValueSchema,
  /** Named values; `default` and rule values then name variants. */
  variants: z.record(z.string(), z.union([z.boolean(), z.string(), z.number(), z.record(z.string(), z.unknown())])).optional(),
  /** Targeting rules, first match wins. @default [] */
  rules: z.array(flagRuleSchema).optional(),
  /** What the flag is for. */
  description: z.string().optional(),
  /**
   * Per environment (names in `environments`), what differs from the definition above: e.g.
   * `{ production: { rules: [{ percentage: 5, value: true }] } }`. Each environment's store is seeded
   * with the merged definition, and the AWS synthesis deploys it to that environment. @default {}
   */
  environments: z.record(z.string(), flagOverrideSchema).optional(),
});

/** A flag as written in an app definition. */
export type FlagDefinition = z.input<typeof flagSchema>;

/** A segment as written in an app definition. */
export type SegmentDefinition = z.input<typeof segmentSchema>;
