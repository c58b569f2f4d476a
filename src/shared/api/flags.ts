import { z } from 'zod';
import { flagSchema } from '../app-model/schema/flag.js';
import type { FlagMatchValue } from '../app-model/flag-conditions.js';
import type { FlagValue } from '../app-model/resolved.js';
import type { FLAG_CHANGE_KINDS } from '../events/types/flag.js';

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
