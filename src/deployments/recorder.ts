import type { Clock, EventLog } from '../core/index.js';
import type { DeploymentBaseField, EventPayloads, EventTypeWith } from '../shared/index.js';
import { deploymentSubject, type Deployment } from './model.js';
import type { DeploymentStore } from './store/deployment-store.js';

/** The catalogued `deployment.*` events (each carries the deployment's own fields). */
export type DeploymentEventType = EventTypeWith<{ readonly deploymentId: number; readonly toRevision: string }>;

/** What a writer adds to a deployment event: its own fields, and a `reason` when there is one (else null). */
export type DeploymentEventExtra<T extends DeploymentEventType> = Omit<EventPayloads[T], DeploymentBaseField | 'reason'> & { readonly reason?: string | null };

/**
 * Writes a deployment's status and its events: every transition is
 * persisted first, then appended to the event log with the fields every
 * deployment event carries (service, environment, revisions, weights, reason).
 */
export class DeploymentRecorder {
  constructor(
    private readonly store: DeploymentStore,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** Persists `d` with `patch` applied and returns the new status. */
  save(d: Deployment, patch: Partial<Omit<Deployment, 'id'>>): Deployment {
    const next: Deployment = { ...d, ...patch, updatedAtMs: this.clock.now() };
    this.store.update(next);
    return next;
  }

  /** Appends a `deployment.*` event about `d`. */
  emit<T extends DeploymentEventType>(d: Deployment, type: T, extra: DeploymentEventExtra<T>): void {
    this.events.append({
      type,
      subject: deploymentSubject(d.id),
      data: {
        deploymentId: d.id,
        kind: d.kind,
        service: d.service,
        environment: d.environment,
        fromRevision: d.fromRevision,
        toRevision: d.toRevision,
        state: d.state,
        stepIndex: d.stepIndex,
        weights: d.weights,
        reason: null,
        ...extra,
      } as EventPayloads[T],
    });
  }
}
