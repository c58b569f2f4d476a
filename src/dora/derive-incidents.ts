import type { SlipwayEvent } from '../core/index.js';
import { INCIDENT_OPENED, INCIDENT_RESOLVED, payloadOf } from '../shared/index.js';
import type { DoraIncident } from './model.js';

/**
 * Incidents from `incident.opened` and `incident.resolved` events (pure), read through the event catalog.
 * Triggered = `data.triggeredAtMs`; resolved = `data.resolvedAtMs` of `incident.resolved` (else its time). Incidents
 * of another environment than `environment` are left out; those that name none are kept.
 */
export function deriveIncidents(events: readonly SlipwayEvent[], environment: string): DoraIncident[] {
  const opened = new Map<string, { incident: DoraIncident; environment: string | null }>();
  const resolved = new Map<string, number>();
  for (const e of events) {
    const o = payloadOf(e, INCIDENT_OPENED);
    if (o !== undefined) {
      const key = String(o.incidentId);
      opened.set(key, {
        incident: {
          id: key,
          triggeredAtMs: o.triggeredAtMs,
          ...(o.service === null ? {} : { service: o.service }),
          ...(o.deploymentId === null ? {} : { deploymentId: String(o.deploymentId) }),
        },
        environment: o.environment,
      });
      continue;
    }
    const r = payloadOf(e, INCIDENT_RESOLVED);
    if (r !== undefined && !resolved.has(String(r.incidentId))) resolved.set(String(r.incidentId), r.resolvedAtMs ?? e.timeMs);
  }
  const out: DoraIncident[] = [];
  for (const [id, { incident, environment: env }] of opened) {
    if (env !== null && env !== environment) continue;
    const resolvedAtMs = resolved.get(id);
    out.push(resolvedAtMs === undefined ? incident : { ...incident, resolvedAtMs });
  }
  return out.sort((a, b) => a.triggeredAtMs - b.triggeredAtMs || a.id.localeCompare(b.id));
}
