import { z } from 'zod';
import { ACTION_ITEM_STATUSES, INCIDENT_SEVERITIES, INCIDENT_STATES } from '../../api/incidents.js';
import { eventSpec } from '../spec.js';
import { nullableString } from './fields.js';

/** An incident was opened (subject `incident/<id>`). */
export const INCIDENT_OPENED = 'incident.opened';
/** Someone acknowledged an incident. */
export const INCIDENT_ACKNOWLEDGED = 'incident.acknowledged';
/** An incident was mitigated. */
export const INCIDENT_MITIGATED = 'incident.mitigated';
/** An incident was resolved. */
export const INCIDENT_RESOLVED = 'incident.resolved';
/** An incident's postmortem was written. */
export const INCIDENT_POSTMORTEM_WRITTEN = 'incident.postmortem.written';
/** An incident was assigned. */
export const INCIDENT_ASSIGNED = 'incident.assigned';
/** A note was added to an incident's timeline. */
export const INCIDENT_NOTE_ADDED = 'incident.note.added';
/** An action (a rollback, a manual step) was recorded on an incident. */
export const INCIDENT_ACTION_RECORDED = 'incident.action.recorded';

/** A follow-up (action item) was added to an incident. */
export const INCIDENT_ACTION_ITEM_ADDED = 'incident.action_item.added';
/** An incident's action item changed status, owner or due date. */
export const INCIDENT_ACTION_ITEM_UPDATED = 'incident.action_item.updated';

/** The on-call was paged for an incident: level 1 of its escalation policy. */
export const INCIDENT_PAGED = 'incident.paged';
/** Nobody acknowledged in time: the next level (or, on a repeat, level 1 again) was paged. */
export const INCIDENT_ESCALATED = 'incident.escalated';
/** An incident's escalation stopped: someone acknowledged or mitigated it, or every level was paged in vain. */
export const INCIDENT_ESCALATION_ENDED = 'incident.escalation.ended';

/** Why an escalation ended. */
export const ESCALATION_END_REASONS = ['acknowledged', 'mitigated', 'resolved', 'exhausted', 'policy_removed'] as const;

/** An incident's fields as every `incident.*` event carries them. */
const base = {
  incidentId: z.number().int(),
  title: z.string(),
  severity: z.enum(INCIDENT_SEVERITIES),
  state: z.enum(INCIDENT_STATES),
  source: z.enum(['alarm', 'manual']),
  alarm: nullableString,
  service: nullableString,
  environment: nullableString,
  /** The deployment that likely caused it, when known. */
  deploymentId: z.number().int().nullable(),
  assignee: nullableString,
  triggeredAtMs: z.number(),
  resolvedAtMs: z.number().nullable(),
};

/** The names of the fields every `incident.*` event carries, filled in by the incident service. */
export type IncidentBaseField = keyof typeof base;

/** Old rows may name the incident `id`; today it is `incidentId`. */
function upgradeIncident(data: Readonly<Record<string, unknown>>, subject: string): Readonly<Record<string, unknown>> {
  if (data.incidentId !== undefined) return data;
  const raw = data.id ?? /^incident\/(\d+)$/.exec(subject)?.[1];
  const id = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  const { id: _old, ...rest } = data;
  return id === undefined ? data : { ...rest, incidentId: id };
}

const spec = <S extends z.ZodRawShape>(doc: string, extra: S) => eventSpec(doc, z.object({ ...base, ...extra }), upgradeIncident);
const transition = { by: z.string(), reason: z.string().optional() };

const pageTarget = z.union([
  z.object({ kind: z.literal('schedule'), schedule: z.string(), user: z.string().nullable() }),
  z.object({ kind: z.literal('user'), user: z.string() }),
  z.object({ kind: z.literal('topic'), topic: z.string() }),
]);
const page = {
  policy: z.string(),
  /** 1-based level of the policy. */
  level: z.number().int().min(1),
  /** 0-based pass through the levels. */
  loop: z.number().int().min(0),
  /** 0-based step of the whole escalation (levels × passes). */
  step: z.number().int().min(0),
  /** The level's targets as resolved at the page: a schedule with who was on call (null: nobody). */
  targets: z.array(pageTarget),
  /** The users paged (through their contacts). */
  users: z.array(z.string()),
  /** The topics the page is posted to (users' contact topics and topic targets). */
  topics: z.array(z.string()),
  /** When the next level is paged unless someone acknowledges; null when this is the last. */
  escalateAtMs: z.number().nullable(),
};

/** The `incident.*` events of the incident service; each carries the incident's own fields too. */
export const incidentEvents = {
  [INCIDENT_OPENED]: spec('An incident was opened, by hand or from an alarm (`triggerSeq`: the alarm event).', { by: z.string(), reason: z.string(), triggerSeq: z.number().int().optional() }),
  [INCIDENT_ACKNOWLEDGED]: spec('Someone took an incident on.', transition),
  [INCIDENT_MITIGATED]: spec('The incident\'s impact was stopped.', transition),
  [INCIDENT_RESOLVED]: spec('The incident is over.', transition),
  [INCIDENT_POSTMORTEM_WRITTEN]: spec('The postmortem was written (`markdown`), or the incident marked as having one (`by`).', {
    by: z.string().optional(),
    reason: z.string().optional(),
    author: z.string().optional(),
    markdown: z.string().optional(),
  }),
  [INCIDENT_ASSIGNED]: spec('The incident has a new `assignee`.', { by: z.string() }),
  [INCIDENT_NOTE_ADDED]: spec('A note on the timeline: by a person, or by slipway when the alarm changes again (`alarmSeq`).', { text: z.string(), author: z.string(), alarmSeq: z.number().int().optional() }),
  [INCIDENT_ACTION_RECORDED]: spec('An action taken on the incident: a `rollback` of a deployment or a `manual` step, and whether it worked.', {
    kind: z.enum(['rollback', 'manual']),
    description: z.string().optional(),
    ok: z.boolean(),
    message: z.string(),
    by: z.string(),
  }),
  [INCIDENT_ACTION_ITEM_ADDED]: spec('A follow-up `text` with its `owner`, `dueDate` (YYYY-MM-DD) and `status`, numbered `itemId` within the incident.', {
    itemId: z.number().int(),
    text: z.string(),
    owner: z.string(),
    dueDate: z.string(),
    status: z.enum(ACTION_ITEM_STATUSES),
    by: z.string(),
  }),
  [INCIDENT_ACTION_ITEM_UPDATED]: spec('Action item `itemId` now reads `status`, `owner`, `dueDate`; `changed` names what changed.', {
    itemId: z.number().int(),
    status: z.enum(ACTION_ITEM_STATUSES),
    owner: z.string(),
    dueDate: z.string(),
    changed: z.array(z.enum(['status', 'owner', 'dueDate'])),
    by: z.string(),
  }),
  [INCIDENT_PAGED]: spec('Level 1 of `policy` was paged: the `users` on call (through their contacts) and the `topics`, with the `targets` as resolved; `escalateAtMs` is when level 2 follows unless someone acknowledges.', page),
  [INCIDENT_ESCALATED]: spec('Nobody acknowledged in time: `level` (pass `loop`) of `policy` was paged, with the same fields as `incident.paged`.', page),
  [INCIDENT_ESCALATION_ENDED]: spec('The escalation stopped (`reason`: acknowledged, mitigated, resolved, exhausted — every level paged in vain — or policy_removed) after `pages` pages.', {
    policy: z.string(),
    reason: z.enum(ESCALATION_END_REASONS),
    pages: z.number().int().min(0),
  }),
} as const;
