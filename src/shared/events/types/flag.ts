import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { nullableString } from './fields.js';

/** A flag's stored state changed in one environment (subject `flag/<environment>/<key>`). */
export const FLAG_CHANGED = 'flag.changed';

/** How a flag's stored state came to be, in each version. */
export const FLAG_CHANGE_KINDS = ['Seeded', 'Created', 'Updated', 'Enabled', 'Disabled'] as const;

const flagValue = z.union([z.boolean(), z.string(), z.number()]);
// An equality, or a condition of operators (`{ in: [...] }`, `{ semverGte: "2.1.0" }`; see FLAG_OPERATORS).
const matchValue = z.union([flagValue, z.record(z.string(), z.unknown())]);
const match = z.record(z.string(), matchValue);

/** A flag rollout began serving its new definition to its first share of contexts (subject `flag-rollout/<id>`). */
export const FLAG_ROLLOUT_STARTED = 'flag.rollout.started';
/** A flag rollout moved to its next step: the new definition now reaches `percent` % of contexts. */
export const FLAG_ROLLOUT_STEP = 'flag.rollout.step';
/** A flag rollout was paused. */
export const FLAG_ROLLOUT_PAUSED = 'flag.rollout.paused';
/** A paused flag rollout goes on. */
export const FLAG_ROLLOUT_RESUMED = 'flag.rollout.resumed';
/** A flag rollout was promoted: the new definition is served to everyone at once. */
export const FLAG_ROLLOUT_PROMOTED = 'flag.rollout.promoted';
/** A flag rollout was reverted: everyone gets the previous definition again. */
export const FLAG_ROLLOUT_ROLLED_BACK = 'flag.rollout.rolled_back';
/** A flag rollout completed: the new definition is the flag's new version. */
export const FLAG_ROLLOUT_SUCCEEDED = 'flag.rollout.succeeded';

/** Phases of a flag rollout: the deployment engine's words (`Stopped`: aborted by a user). */
export const FLAG_ROLLOUT_STATES = ['InProgress', 'Paused', 'Succeeded', 'RolledBack', 'Stopped'] as const;

const definition = z.object({
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
});

/** A flag rollout's fields as every `flag.rollout.*` event carries them. */
const rolloutBase = {
  rolloutId: z.number().int(),
  environment: z.string(),
  key: z.string(),
  state: z.enum(FLAG_ROLLOUT_STATES),
  /** Zero-based index of the step it is on. */
  stepIndex: z.number().int(),
  /** Share of evaluation contexts served the new definition now, 0–100. */
  percent: z.number(),
  /** The flag's version the rollout started from (what a revert serves again). */
  fromVersion: z.number().int(),
  actor: z.string(),
  /** Why it happened, in words; null when there is nothing to say. */
  reason: nullableString,
};

/** The names of the fields every `flag.rollout.*` event carries, filled in by the rollout recorder. */
export type FlagRolloutBaseField = Exclude<keyof typeof rolloutBase, 'reason'>;

const rolloutSpec = <S extends z.ZodRawShape>(doc: string, extra: S) => eventSpec(doc, z.object({ ...rolloutBase, ...extra }));

/** The `flag.*` events of the flag store and of flag rollouts. */
export const flagEvents = {
  [FLAG_CHANGED]: eventSpec(
    'A flag got a new `version` in an `environment`: seeded from the app model, created, updated, enabled or disabled (`change`) by `actor`, with the `definition` now served; `rolloutId` when a flag rollout completed it.',
    z.object({
      environment: z.string(),
      key: z.string(),
      version: z.number().int(),
      /** Null for a flag stored for the first time. */
      previousVersion: z.number().int().nullable(),
      change: z.enum(FLAG_CHANGE_KINDS),
      enabled: z.boolean(),
      actor: z.string(),
      definition,
      /** The flag rollout this version completes; absent for a change applied at once. */
      rolloutId: z.number().int().optional(),
    }),
  ),
  [FLAG_ROLLOUT_STARTED]: rolloutSpec('A flag rollout began: `strategy`, its `plan` (percent and bake time per step), the alarms that revert it (`watchedAlarms`) and the `definition` being rolled out.', {
    strategy: z.string(),
    plan: z.array(z.object({ percent: z.number(), bakeMs: z.number() })),
    watchedAlarms: z.array(z.string()),
    definition,
  }),
  [FLAG_ROLLOUT_STEP]: rolloutSpec('A flag rollout serves its new definition to `percent` % of contexts (`previousPercent` before); contexts already in stay in.', { previousPercent: z.number() }),
  [FLAG_ROLLOUT_PAUSED]: rolloutSpec('A user paused the flag rollout: its share stays where it is until resumed, promoted or aborted.', {}),
  [FLAG_ROLLOUT_RESUMED]: rolloutSpec('A paused flag rollout goes on (a user, or a restarted control plane).', {}),
  [FLAG_ROLLOUT_PROMOTED]: rolloutSpec('A user promoted the flag rollout: the rest of its steps are skipped to 100 %.', {}),
  [FLAG_ROLLOUT_ROLLED_BACK]: rolloutSpec(
    'The flag serves its previous definition to everyone again: `trigger` is `alarm` (with the `alarms` that fired) or `abort` (state `Stopped`); `revertMs` from the trigger seen to the store written, `revertedAtMs` when.',
    {
      trigger: z.string(),
      alarms: z.array(z.string()).optional(),
      revertMs: z.number(),
      revertedAtMs: z.number(),
      /** The share the new definition had reached when it was reverted. */
      reachedPercent: z.number(),
    },
  ),
  [FLAG_ROLLOUT_SUCCEEDED]: rolloutSpec('Every step completed: the new definition is the flag\'s new `version`, served to everyone.', { version: z.number().int(), durationMs: z.number() }),
} as const;

/** Every `flag.rollout.*` type of the catalog. */
export const FLAG_ROLLOUT_EVENT_TYPES = [FLAG_ROLLOUT_STARTED, FLAG_ROLLOUT_STEP, FLAG_ROLLOUT_PAUSED, FLAG_ROLLOUT_RESUMED, FLAG_ROLLOUT_PROMOTED, FLAG_ROLLOUT_ROLLED_BACK, FLAG_ROLLOUT_SUCCEEDED] as const;
