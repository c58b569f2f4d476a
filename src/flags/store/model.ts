import { FLAG_CHANGED, type FLAG_CHANGE_KINDS, type FlagValue, type ResolvedFlag } from '../../shared/index.js';

/** How a flag's stored state came to be, in each version. */
export type FlagChangeKind = (typeof FLAG_CHANGE_KINDS)[number];

/** A flag's current state in one environment. */
export interface StoredFlag {
  readonly environment: string;
  /** The definition served, in the app model's compiled form. */
  readonly flag: ResolvedFlag;
  /** A disabled flag serves its default with reason `DISABLED`. */
  readonly enabled: boolean;
  /** 1 when first stored, then one more per change. */
  readonly version: number;
  /** When this version was written, ms since the epoch. */
  readonly updatedAtMs: number;
  /** A rollout in flight: its new definition is served to a share of contexts. @default none */
  readonly rollout?: ServedRollout;
}

/**
 * The part of a flag rollout evaluation needs: contexts whose `targetingKey` falls in the first
 * `percent` % of the rollout's buckets (salt `rollout:<id>`) get `flag`, the others the stored definition.
 */
export interface ServedRollout {
  /** The rollout's id (its buckets' salt). */
  readonly id: number;
  /** Share of contexts served `flag`, 0–100. */
  readonly percent: number;
  /** The definition being rolled out. */
  readonly flag: ResolvedFlag;
}

/** One version of a flag in one environment, as its history shows it. */
export interface FlagVersion extends StoredFlag {
  readonly change: FlagChangeKind;
  /** Who made the change: `app-model` for seeding, else what the caller named (a user, `cli`, a deployment). */
  readonly actor: string;
}

/** A flag in one environment at one version. */
export interface FlagRef {
  readonly environment: string;
  readonly key: string;
  readonly version: number;
}

/** What {@link FlagStore.seed} did. */
export interface SeedReport {
  /** Flags the store did not have: now stored with the model's definition, at version 1. */
  readonly seeded: readonly FlagRef[];
  /** Flags the store had: kept as stored; `differsFromModel` says whether the model now says otherwise. */
  readonly kept: readonly (FlagRef & { readonly differsFromModel: boolean })[];
  /** Stored flags the model no longer declares (for its environments); still served, reported so they can be removed. */
  readonly notInModel: readonly FlagRef[];
}

/** The payload of a `flag.changed` event. */
export interface FlagChangedPayload {
  readonly environment: string;
  readonly key: string;
  readonly version: number;
  /** The version replaced; null for a flag stored for the first time. */
  readonly previousVersion: number | null;
  readonly change: FlagChangeKind;
  readonly enabled: boolean;
  readonly actor: string;
  /** The definition now served, so a timeline can say what changed without reading the store. */
  readonly definition: {
    readonly defaultValue: FlagValue;
    readonly variants: Readonly<Record<string, unknown>> | null;
    readonly rules: ResolvedFlag['rules'];
  };
  /** The flag rollout this version completes; absent for a change applied at once. */
  readonly rolloutId?: number;
}

/** The `flag.changed` event type, as the event catalog declares it. */
export { FLAG_CHANGED };

/** A `flag.changed` event, in the shape `EventLog.append` takes (subject `flag/<environment>/<key>`). */
export interface FlagChangedEvent {
  readonly type: typeof FLAG_CHANGED;
  readonly subject: string;
  readonly data: FlagChangedPayload;
}

/**
 * Appends a flag change to the event log. Called inside the store's write transaction: when it
 * appends to the same database, the new version and its event commit together, and an appender
 * that throws rolls the change back.
 */
export type FlagEventAppender = (event: FlagChangedEvent) => void;
