import type { ResolvedSubscription } from './resolved.js';

/** A person who can be paged, compiled. */
export interface ResolvedOncallUser {
  readonly name: string;
  /** Topics their pages go to (a `contact` that names a topic). */
  readonly topics: readonly string[];
  /** Subscriptions of their own (a `contact` that lists them): they receive pages and nothing else. */
  readonly subscriptions: readonly ResolvedSubscription[];
}

/** A rotation layer, compiled: turns of `length` × `rotation` from `start` at `handoff`. */
export interface ResolvedRotationLayer {
  readonly members: readonly string[];
  readonly rotation: 'hourly' | 'daily' | 'weekly';
  readonly length: number;
  /** Hand-off time of day in the schedule's time zone. */
  readonly handoff: { readonly hour: number; readonly minute: number };
  /** The date of the first hand-off, in the schedule's time zone. */
  readonly start: { readonly year: number; readonly month: number; readonly day: number };
}

/** An override, compiled to instants: `user` is on call from `startMs` (inclusive) to `endMs` (exclusive). */
export interface ResolvedOverride {
  readonly user: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** A schedule, compiled. */
export interface ResolvedSchedule {
  readonly name: string;
  /** IANA time zone. */
  readonly timeZone: string;
  /** Lowest first: a later layer wins where it has someone on call. */
  readonly layers: readonly ResolvedRotationLayer[];
  /** Ordered by start; they do not overlap. */
  readonly overrides: readonly ResolvedOverride[];
}

/** Who one level of a policy pages. */
export type ResolvedEscalationTarget = { readonly kind: 'schedule'; readonly schedule: string } | { readonly kind: 'user'; readonly user: string } | { readonly kind: 'topic'; readonly topic: string };

/** One level of an escalation policy, compiled. */
export interface ResolvedEscalationLevel {
  readonly targets: readonly ResolvedEscalationTarget[];
  /** Time without acknowledgement before the next page. */
  readonly escalateAfterMs: number;
}

/** An escalation policy, compiled. */
export interface ResolvedEscalationPolicy {
  readonly name: string;
  readonly levels: readonly ResolvedEscalationLevel[];
  /** How many more times the levels run after the last one. */
  readonly repeat: number;
}

/** The `oncall` block, compiled. */
export interface ResolvedOncall {
  readonly users: Readonly<Record<string, ResolvedOncallUser>>;
  readonly schedules: Readonly<Record<string, ResolvedSchedule>>;
  readonly escalationPolicies: Readonly<Record<string, ResolvedEscalationPolicy>>;
  /** The policy per incident severity; a severity not listed pages nobody. */
  readonly policyBySeverity: Readonly<Partial<Record<'SEV1' | 'SEV2' | 'SEV3' | 'SEV4', string>>>;
}
