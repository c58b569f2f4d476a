import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** A flag's stored state changed in one environment (subject `flag/<environment>/<key>`). */
export const FLAG_CHANGED = 'flag.changed';

/** How a flag's stored state came to be, in each version. */
export const FLAG_CHANGE_KINDS = ['Seeded', 'Created', 'Updated', 'Enabled', 'Disabled'] as const;

const flagValue = z.union([z.boolean(), z.string(), z.number()]);
// An equality, or a condition of operators (`{ in: [...] }`, `{ semverGte: "2.1.0" }`; see FLAG_OPERATORS).
const matchValue = z.union([flagValue, z.record(z.string(), z.unknown())]);
const match = z.record(z.string(), matchValue);

/** The `flag.*` events of the flag store. */
export const flagEvents = {
  [FLAG_CHANGED]: eventSpec(
    'A flag got a new `version` in an `environment`: seeded from the app model, created, updated, enabled or disabled (`change`) by `actor`, with the `definition` now served.',
    z.object({
      environment: z.string(),
      key: z.string(),
      version: z.number().int(),
      /** Null for a flag stored for the first time. */
      previousVersion: z.number().int().nullable(),
      change: z.enum(FLAG_CHANGE_KINDS),
      enabled: z.boolean(),
      actor: z.string(),
      definition: z.object({
        defaultValue: flagValue,
        variants: z.record(z.string(), z.unknown()).nullable(),
        rules: z.array(
          z.object({
            percentage: z.number(),
            match,
            /** The segment the rule names, with the conditions it was compiled with. */
            segment: z.object({ name: z.string(), match: match.optional() }).optional(),
            /** The attribute a percentage buckets by; absent: `targetingKey`. */
            stickiness: z.string().optional(),
            value: flagValue,
          }),
        ),
      }),
    }),
  ),
} as const;
