import type { FlagRolloutStateName, ResolvedFlag, ResolvedStrategy } from '../../shared/index.js';
import type { ServedRollout, StoredFlag } from '../../flags/index.js';

/** Phases of a flag rollout, the deployment engine's words (`FLAG_ROLLOUT_STATES` in src/shared). */
export type FlagRolloutState = FlagRolloutStateName;

/** One step of a flag rollout's plan: the share served the new definition, then how long it bakes. */
export interface FlagRolloutStep {
  /** Percent of evaluation contexts, 1–100. */
  readonly percent: number;
  /** Time at this share before the next step, ms; 0 for the last. */
  readonly bakeMs: number;
}

/** How a flag rollout was reverted. */
export interface FlagRolloutRollback {
  /** `alarm` or `abort`. */
  readonly trigger: 'alarm' | 'abort';
  readonly alarms: readonly string[];
  readonly reason: string;
  /** From the trigger seen (the alarm notification, the abort request) to the stored definition served again, ms. */
  readonly revertMs: number;
  readonly revertedAtMs: number;
}

/** A flag rollout and its whole status: the engine's only memory. Every transition rewrites it and appends an event. */
export interface FlagRollout {
  readonly id: number;
  readonly environment: string;
  readonly key: string;
  readonly strategy: ResolvedStrategy['kind'];
  readonly plan: readonly FlagRolloutStep[];
  readonly state: FlagRolloutState;
  readonly stepIndex: number;
  /** Share served the new definition now. */
  readonly percent: number;
  /** When the current step's share began to be served (a resume restarts it). */
  readonly stepStartedAtMs: number;
  /** The version served before, and again after a revert. */
  readonly fromVersion: number;
  /** The version written when it succeeded. */
  readonly toVersion: number | null;
  readonly from: ResolvedFlag;
  readonly to: ResolvedFlag;
  /** Alarms that revert it: the environment's `rollbackOn` and a canary's or linear's analysis alarms. */
  readonly watchedAlarms: readonly string[];
  readonly actor: string;
  readonly rollback: FlagRolloutRollback | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly finishedAtMs: number | null;
}

/** Whether a rollout in this state is finished. */
export function isFlagRolloutTerminal(state: FlagRolloutState): boolean {
  return state === 'Succeeded' || state === 'RolledBack' || state === 'Stopped';
}

/** The event subject of a flag rollout: `flag-rollout/<id>`. */
export function flagRolloutSubject(id: number): string {
  return `flag-rollout/${id}`;
}

/**
 * What a flag rollout changes: the flag store's served share (the flags context's `FlagStore`
 * fills it), as a deployment changes the router's weights through a `TrafficTarget`.
 */
export interface FlagRolloutTarget {
  tryGet(environment: string, key: string): StoredFlag | undefined;
  /** Serves the rollout's definition to `rollout.percent` % of contexts beside the stored one. */
  beginRollout(environment: string, rollout: ServedRollout): StoredFlag;
  setRolloutPercent(environment: string, key: string, id: number, percent: number): StoredFlag;
  /** Keeps the rollout's definition: a new version served to everyone. */
  completeRollout(environment: string, key: string, id: number, options: { readonly actor: string }): StoredFlag;
  /** Serves the stored definition to everyone again. */
  revertRollout(environment: string, key: string, id: number): StoredFlag | undefined;
}
