import type { SlipwayEvent } from '../core/index.js';
import { formatDuration, type TimelineEntryDto } from '../shared/index.js';
import { deploymentIdOf, str } from './event-fields.js';
import { incidentSubject, type Incident } from './model.js';
import { summarize } from './summarize.js';

/** One entry of a reconstructed timeline. */
export type TimelineEntry = TimelineEntryDto;

/** How far a timeline reaches. */
export interface TimelineOptions {
  /** How long before the trigger the timeline starts. @default 30 min */
  readonly lookbackMs: number;
  /** Changes to the affected service this long before the trigger are likely causes. @default 30 min */
  readonly likelyCauseWindowMs: number;
}

/** The change named as an incident's cause: its events are the timeline's likely-cause entries. */
export interface TimelineCause {
  /** The change's event subject, e.g. `deployment/14`. */
  readonly ref: string;
  readonly reason: string;
}

/** The event families a timeline shows (type prefixes). */
export const TIMELINE_TYPES = ['deployment.', 'service.traffic.', 'service.revision.', 'flag.', 'alarm.', 'pipeline.', 'task.'] as const;

/** Types that change what serves traffic: candidates for a likely cause. */
const CHANGE_TYPES = new Set(['deployment.started', 'deployment.succeeded', 'deployment.traffic.shifted', 'deployment.promoted', 'service.traffic.shifted', 'service.revision.started', 'flag.changed', 'flag.rollout.started', 'flag.rollout.step', 'flag.rollout.promoted']);

/** Whether `e` is an event of the change `ref` names (a flag change applied at once is `flag/<env>/<key>@<version>`). */
function ofChange(e: SlipwayEvent, ref: string): boolean {
  return e.subject === ref || (e.type === 'flag.changed' && `${e.subject}@${String(e.data.version)}` === ref);
}

/**
 * Builds an incident's timeline from events of the log (pure): the deployments, traffic shifts, flag
 * changes, alarm transitions, pipeline runs and task events (tasks only of the affected service) from
 * `lookbackMs` before the trigger, and the incident's own events. Changes to the affected service within
 * `likelyCauseWindowMs` before the trigger — and the deployment the incident names — are marked
 * `likelyCause` with the reason. Given the `cause` the facts named (see `cause/find-likely-cause.ts`),
 * only that change's events up to the trigger are marked, with its reason; `null` marks none.
 */
export function reconstructTimeline(events: readonly SlipwayEvent[], incident: Incident, options: TimelineOptions, cause?: TimelineCause | null): TimelineEntry[] {
  const own = incidentSubject(incident.id);
  const startMs = incident.triggeredAtMs - options.lookbackMs;
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    if (e.timeMs < startMs) continue;
    const isOwn = e.subject === own && e.type.startsWith('incident.');
    if (!isOwn && !TIMELINE_TYPES.some((p) => e.type.startsWith(p))) continue;
    if (e.type.startsWith('task.') && !touchesService(e, incident)) continue;
    const service = str(e, 'service');
    const environment = str(e, 'environment');
    const reason = cause === undefined ? likelyCauseReason(e, incident, options) : cause !== null && ofChange(e, cause.ref) && CHANGE_TYPES.has(e.type) && e.timeMs <= incident.triggeredAtMs ? cause.reason : undefined;
    entries.push({
      seq: e.seq,
      timeMs: e.timeMs,
      type: e.type,
      subject: e.subject,
      summary: summarize(e),
      ...(service === undefined ? {} : { service }),
      ...(environment === undefined ? {} : { environment }),
      ...(reason === undefined ? {} : { likelyCause: true as const, likelyCauseReason: reason }),
    });
  }
  return entries.sort((a, b) => a.seq - b.seq);
}

/** The deployment among the likely causes that changed the service last before the trigger, if any. */
export function likelyCauseDeploymentId(entries: readonly TimelineEntry[]): number | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (!e.likelyCause || !e.type.startsWith('deployment.')) continue;
    const m = /^deployment\/(\d+)$/.exec(e.subject);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function touchesService(e: SlipwayEvent, incident: Incident): boolean {
  if (incident.service === null || str(e, 'service') !== incident.service) return false;
  const env = str(e, 'environment');
  return incident.environment === null || env === undefined || env === incident.environment;
}

function likelyCauseReason(e: SlipwayEvent, incident: Incident, options: TimelineOptions): string | undefined {
  const beforeMs = incident.triggeredAtMs - e.timeMs;
  const named = incident.deploymentId !== null && e.type.startsWith('deployment.') && deploymentIdOf(e) === incident.deploymentId;
  if (beforeMs < 0 || beforeMs > options.likelyCauseWindowMs) {
    return named && beforeMs >= 0 && CHANGE_TYPES.has(e.type) ? `deployment ${incident.deploymentId} is the deployment the incident names` : undefined;
  }
  const ago = beforeMs === 0 ? 'at the moment of the trigger' : `${formatDuration(beforeMs)} before the trigger`;
  if (e.type.startsWith('flag.')) {
    const flagService = str(e, 'service');
    if (flagService !== undefined && flagService !== incident.service) return undefined;
    return `flag ${str(e, 'flag') ?? str(e, 'key') ?? e.subject} changed ${ago}${flagService === undefined ? ' (flags reach every service)' : ''}`;
  }
  if (!CHANGE_TYPES.has(e.type) || e.data.kind === 'Rollback') return undefined;
  if (named) return `the alarm named deployment ${incident.deploymentId}; it changed ${incident.service ?? 'the service'} ${ago}`;
  if (!touchesService(e, incident)) return undefined;
  const id = deploymentIdOf(e);
  const what = e.type.startsWith('deployment.') && id !== undefined ? `deployment ${id} of ${incident.service}` : `a traffic change of ${incident.service}`;
  return `${what} (${e.type}) ${ago}`;
}
