import type { Clock, EventLog } from '../../core/index.js';
import type { EventPayloads, EventTypeWith, FlagRolloutBaseField } from '../../shared/index.js';
import { flagRolloutSubject, type FlagRollout } from './model.js';
import type { FlagRolloutStore } from './flag-rollout-store.js';

/** The catalogued `flag.rollout.*` events (each carries the rollout's own fields). */
export type FlagRolloutEventType = EventTypeWith<{ readonly rolloutId: number; readonly fromVersion: number }>;

/** What a writer adds to a rollout event: its own fields, and a `reason` when there is one (else null). */
export type FlagRolloutEventExtra<T extends FlagRolloutEventType> = Omit<EventPayloads[T], FlagRolloutBaseField | 'reason'> & { readonly reason?: string | null };

/**
 * Writes a flag rollout's status and its events, as the deployment recorder does: every transition
 * is persisted, then appended with the fields every `flag.rollout.*` event carries.
 */
export class FlagRolloutRecorder {
  constructor(
    private readonly store: FlagRolloutStore,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** Persists `r` with `patch` applied and returns the new status. */
  save(r: FlagRollout, patch: Partial<Omit<FlagRollout, 'id'>>): FlagRollout {
    const next: FlagRollout = { ...r, ...patch, updatedAtMs: this.clock.now() };
    this.store.update(next);
    return next;
  }

  /** Appends a `flag.rollout.*` event about `r`. */
  emit<T extends FlagRolloutEventType>(r: FlagRollout, type: T, extra: FlagRolloutEventExtra<T>): void {
    this.events.append({
      type,
      subject: flagRolloutSubject(r.id),
      data: { rolloutId: r.id, environment: r.environment, key: r.key, state: r.state, stepIndex: r.stepIndex, percent: r.percent, fromVersion: r.fromVersion, actor: r.actor, reason: null, ...extra } as EventPayloads[T],
    });
  }
}
