import type { IncidentSeverity, IncidentState } from '../shared/index.js';

export type { IncidentSeverity, IncidentState } from '../shared/index.js';

/** The states in which an incident is open (it deduplicates alarms and takes mitigation actions). */
export const OPEN_INCIDENT_STATES: readonly IncidentState[] = ['Triggered', 'Acknowledged', 'Mitigated'];

/** An incident's current status, as stored; its history is in the event log under `incident/<id>`. */
export interface Incident {
  readonly id: number;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly state: IncidentState;
  /** How it was opened. */
  readonly source: 'alarm' | 'manual';
  /** For alarm incidents, `<alarm>|<environment>|<service>`: at most one open incident per key. */
  readonly dedupKey: string | null;
  readonly alarm: string | null;
  /** The alarm's last known state. */
  readonly alarmState: string | null;
  readonly service: string | null;
  readonly environment: string | null;
  /** The deployment the alarm named, or the likely cause inferred when it opened, or one named by hand. */
  readonly deploymentId: number | null;
  readonly assignee: string | null;
  /** The event that opened it (the alarm transition), when opened from the log. */
  readonly triggerSeq: number | null;
  readonly triggeredAtMs: number;
  readonly acknowledgedAtMs: number | null;
  readonly mitigatedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly postmortemAtMs: number | null;
  readonly updatedAtMs: number;
}

/** The event subject of an incident. */
export function incidentSubject(id: number): string {
  return `incident/${id}`;
}

/** Whether an incident in `state` is open. */
export function isOpen(state: IncidentState): boolean {
  return OPEN_INCIDENT_STATES.includes(state);
}
