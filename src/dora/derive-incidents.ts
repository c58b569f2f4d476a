import type { SlipwayEvent } from '../core/index.js';
import type { DoraIncident } from './model.js';

/**
 * Incidents from `incident.opened` and `incident.resolved` events (pure). Triggered = `data.triggeredAtMs`
 * (else the event time); resolved = `data.resolvedAtMs` of `incident.resolved` (else its time). Incidents
 * of another environment than `environment` are left out; those that name none are kept.
 */
export function deriveIncidents(events: readonly SlipwayEvent[], environment: string): DoraIncident[] {
  const opened = new Map<string, { incident: DoraIncident; environment: string | undefined }>();
  const resolved = new Map<string, number>();
  for (const e of events) {
    const id = e.data.incidentId ?? /^incident\/(.+)$/.exec(e.subject)?.[1];
    if (id === undefined || id === null) continue;
    const key = String(id);
    if (e.type === 'incident.opened') {
      const service = typeof e.data.service === 'string' ? e.data.service : undefined;
      const deploymentId = e.data.deploymentId;
      const triggeredAtMs = typeof e.data.triggeredAtMs === 'number' ? e.data.triggeredAtMs : e.timeMs;
      opened.set(key, {
        incident: {
          id: key,
          triggeredAtMs,
          ...(service === undefined ? {} : { service }),
          ...(typeof deploymentId === 'number' || (typeof deploymentId === 'string' && deploymentId !== '') ? { deploymentId: String(deploymentId) } : {}),
        },
        environment: typeof e.data.environment === 'string' ? e.data.environment : undefined,
      });
    } else if (e.type === 'incident.resolved' && !resolved.has(key)) {
      resolved.set(key, typeof e.data.resolvedAtMs === 'number' ? e.data.resolvedAtMs : e.timeMs);
    }
  }
  const out: DoraIncident[] = [];
  for (const [id, { incident, environment: env }] of opened) {
    if (env !== undefined && env !== environment) continue;
    const resolvedAtMs = resolved.get(id);
    out.push(resolvedAtMs === undefined ? incident : { ...incident, resolvedAtMs });
  }
  return out.sort((a, b) => a.triggeredAtMs - b.triggeredAtMs || a.id.localeCompare(b.id));
}
