import { z } from 'zod';
import { percent, strict } from './primitives.js';

/** A flag value: a boolean, a string or a number (or, with `variants`, a variant name). */
export const flagValueSchema = z.union([z.boolean(), z.string(), z.number()], {
  error: (i) => `expected a boolean, a string or a number, got ${JSON.stringify(i.input)}`,
});

/** A targeting rule; the first rule that matches a context decides the value. */
export const flagRuleSchema = strict({
  /** Share of matching contexts (bucketed by targeting key) that get the value. @default 100 */
  percentage: percent().optional(),
  /** Context attributes that must all be equal, e.g. `{ country: "NL" }`. @default {} */
  match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** The value served (a variant name when the flag has variants). */
  value: flagValueSchema,
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
});

/** A flag as written in an app definition. */
export type FlagDefinition = z.input<typeof flagSchema>;
