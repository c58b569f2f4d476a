import { z } from 'zod';
import { flagSchema } from '../app-model/schema/flag.js';
import type { FlagMatchValue } from '../app-model/flag-conditions.js';
import type { FlagValue } from '../app-model/resolved.js';
import type { FLAG_CHANGE_KINDS, FLAG_ROLLOUT_STATES } from '../events/types/flag.js';

// The app model's rule for flag keys, so a flag created through the API could be declared in the model too.
const FLAG_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const actor = z.string().min(1).max(200);

/** Path parameters naming a flag in an environment: `/api/v1/flags/:env/:key`. */
export const flagParamsSchema = z.strictObject({
  env: z.string().min(1).max(63),
  key: z.string().regex(FLAG_KEY, { error: (i) => `${JSON.stringify(i.input)} is not a flag key: start with a letter; use letters, digits, _ . and - (at most 128)` }),
});

/**
 * Body of `PUT /api/v1/flags/:env/:key`: the definition, written as in the app model's `flags`
 * (`default`, `variants`, `rules` with `match`/`percentage`/`value`, `description`), and who sets it.
 */
export const putFlagBodySchema = z.strictObject({
  // An environment's flag has no per-environment overrides: the route names the environment.
  definition: flagSchema.omit({ environments: true }),
  /** Recorded as the version's actor and in its `flag.changed` event. @default 'api' */
  by: actor.optional(),
});

/** Parsed form of {@link putFlagBodySchema}. */
export type PutFlagBody = z.output<typeof putFlagBodySchema>;

/** Body of `POST /api/v1/flags/:env/:key/enable` and `/disable` (may be empty). */
export const flagToggleBodySchema = z.strictObject({
  /** @default 'api' */
  by: actor.optional(),
});

/** Query string of `GET /api/v1/flags/:env/:key`. */
export const flagHistoryQuerySchema = z.strictObject({
  /** Versions returned, newest first. @default 100 */
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** How a flag's version came to be (`flag.changed`'s `change`). */
export type FlagChangeKindDto = (typeof FLAG_CHANGE_KINDS)[number];

/** A targeting rule, in the app model's words (`segment` and `stickiness` only when the rule has them). */
export interface FlagRuleDto {
  readonly percentage: number;
  /** Per attribute, a value it must equal or a condition (`{ in: [...] }`, `{ semverGte: "2.1.0" }`). */
  readonly match: Readonly<Record<string, FlagMatchValue>>;
  /** The named segment the context must also be in. */
  readonly segment?: string;
  /** The attribute a percentage buckets by; absent: `targetingKey`. */
  readonly stickiness?: string;
  readonly value: FlagValue;
}

/** A flag's definition, in the app model's words. */
export interface FlagDefinitionDto {
  readonly default: FlagValue;
  /** Named values, or null for a flag whose values are served as they are. */
  readonly variants: Readonly<Record<string, unknown>> | null;
  readonly rules: readonly FlagRuleDto[];
  readonly description: string | null;
}

/** A flag's current state in one environment. */
export interface FlagDto {
  readonly environment: string;
  readonly key: string;
  /** 1 when first stored, one more per change. */
  readonly version: number;
  /** A disabled flag serves its default with reason `DISABLED`. */
  readonly enabled: boolean;
  /** When the current version was written (ISO 8601). */
  readonly updatedAt: string;
  readonly definition: FlagDefinitionDto;
  /** A rollout in flight: its id and the share of contexts served its definition (`GET /api/v1/flag-rollouts/:id`). @default none */
  readonly rollout?: { readonly id: number; readonly percent: number };
}

/** One environment in `GET /api/v1/flags`. */
export interface FlagEnvironmentDto {
  readonly name: string;
  /** Its flags, by key. */
  readonly flags: readonly FlagDto[];
}

/** `GET /api/v1/flags`: every environment of the app model (and any other with stored flags), each with its flags. */
export interface FlagListDto {
  readonly environments: readonly FlagEnvironmentDto[];
}

/** One version of a flag, as its history shows it. */
export interface FlagVersionDto {
  readonly version: number;
  readonly change: FlagChangeKindDto;
  readonly enabled: boolean;
  /** Who made the change: `app-model` for seeding, else what the caller named. */
  readonly actor: string;
  /** When it was written (ISO 8601). */
  readonly time: string;
  readonly definition: FlagDefinitionDto;
}

/** `GET /api/v1/flags/:env/:key`: the current state and the versions, newest first. */
export interface FlagDetailDto extends FlagDto {
  readonly history: readonly FlagVersionDto[];
}

/**
 * Body of `POST /api/v1/flags/:env/:key/rollouts`: the definition to roll out (as in the app model),
 * the strategy (a CodeDeploy name or `{ type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }`,
 * `{ type: 'linear', … }`), and who starts it.
 */
export const startFlagRolloutBodySchema = z.strictObject({
  definition: flagSchema,
  /**
   * How the new definition reaches contexts: a strategy as in the app model (checked with its schema,
   * `SLW_ERR_FLAG_ROLLOUT_INVALID` at `body.strategy…`).
   * @default the environment's strategy when it is all-at-once, canary or linear; else all at once
   */
  strategy: z.unknown().optional(),
  /** Recorded on the rollout, its events and the version it writes. @default 'api' */
  by: actor.optional(),
});

/** Parsed form of {@link startFlagRolloutBodySchema}. */
export type StartFlagRolloutBody = z.output<typeof startFlagRolloutBodySchema>;

/** Path parameters naming a flag rollout: `/api/v1/flag-rollouts/:id`. */
export const flagRolloutParamsSchema = z.strictObject({
  id: z.coerce.number().int().min(1),
});

/** Query string of `GET /api/v1/flag-rollouts`. */
export const flagRolloutsQuerySchema = z.strictObject({
  environment: z.string().min(1).max(63).optional(),
  key: z.string().min(1).max(128).optional(),
  /** Rollouts returned, newest first. @default 50 */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Body of the pause, resume, promote and abort routes of a flag rollout (may be empty). */
export const flagRolloutCommandBodySchema = z.strictObject({
  /** @default 'api' */
  by: actor.optional(),
  reason: z.string().max(500).optional(),
});

/** A phase of a flag rollout. */
export type FlagRolloutStateName = (typeof FLAG_ROLLOUT_STATES)[number];

/** One step of a flag rollout: the share served the new definition, then how long it bakes there. */
export interface FlagRolloutStepDto {
  /** Percent of evaluation contexts, 0–100. */
  readonly percent: number;
  /** Time at this share before the next step; 0 for the last. */
  readonly bakeMs: number;
}

/** How a flag rollout was reverted. */
export interface FlagRolloutRollbackDto {
  /** `alarm` or `abort`. */
  readonly trigger: string;
  /** The watched alarms that were in ALARM. */
  readonly alarms: readonly string[];
  readonly reason: string;
  /** From the trigger seen to the previous definition stored, ms. */
  readonly revertMs: number;
  /** When the previous definition was served again (ISO 8601). */
  readonly revertedAt: string;
}

/** A flag rollout: a flag moving from one definition to another, step by step. */
export interface FlagRolloutDto {
  readonly id: number;
  readonly environment: string;
  readonly key: string;
  readonly state: FlagRolloutStateName;
  /** `AllAtOnce`, `Canary` or `Linear`. */
  readonly strategy: string;
  readonly plan: readonly FlagRolloutStepDto[];
  readonly stepIndex: number;
  /** Share of contexts served the new definition now. */
  readonly percent: number;
  /** The version served before (and again after a revert). */
  readonly fromVersion: number;
  /** The version the rollout wrote when it succeeded; null before. */
  readonly toVersion: number | null;
  readonly from: FlagDefinitionDto;
  readonly to: FlagDefinitionDto;
  /** Alarms that revert it: the environment's `rollbackOn` (and a canary's analysis alarms). */
  readonly watchedAlarms: readonly string[];
  readonly actor: string;
  readonly rollback: FlagRolloutRollbackDto | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Null while under way. */
  readonly finishedAt: string | null;
}

/** `GET /api/v1/flag-rollouts`: newest first. */
export interface FlagRolloutListDto {
  readonly rollouts: readonly FlagRolloutDto[];
}
